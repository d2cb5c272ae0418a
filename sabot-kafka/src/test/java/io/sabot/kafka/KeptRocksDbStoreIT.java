package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.exec.JobSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live table in RocksDB with {@code state_dir}: the store is kept beside the changelog's
 * snapshot ({@code <state_dir>/enrich/rocksdb.kept}), and a restart opens it and applies only
 * the changes published since, instead of loading the table again. A kept store of another
 * version, of another table definition, or with a damaged file is not used (a warning, and the
 * table is loaded from the changelog's rows). Every run's output equals that of the same job
 * with a memory table and no state_dir.
 */
@Tag("integration")
class KeptRocksDbStoreIT {
  static final String JOB = String.join("\n",
      "job_name: kept_rocksdb_store",
      "operators:",
      "  - name: quotes",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${QUOTES}, bootstrap_servers: '${BOOTSTRAP}', format: jsonl,",
      "      start: earliest, bounded: true, batch_size: 1000, schema: {instrumentId: int64}}",
      "  - name: securities",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${SECURITIES}, bootstrap_servers: '${BOOTSTRAP}', format: jsonl,",
      "      schema: {ID: int64, NAME: string, TIER: int64}}",
      "  - {name: enrich, type: HASH_JOIN, parameters: {left_key: instrumentId, right_key: ID,",
      "      join_type: left outer${FILTER}${STATE}}}",
      "  - {name: out, type: SINK, parameters: {path: ${OUT}}}",
      "connect:",
      "  - [quotes, enrich]",
      "  - [securities, enrich]",
      "  - [enrich, out]",
      "");

  private static final int KEYS = 40_000;

  private static String security(long id, int version) {
    return "{\"ID\":" + id + ",\"NAME\":\"S" + id + "-" + version + "\",\"TIER\":" + (id + version) % 3 + "}";
  }

  /** {@code count} updates of keys below {@code keys}, one in ten a tombstone. */
  private static List<String[]> updates(Random random, int count, int keys, int version) {
    List<String[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long id = random.nextInt(keys);
      out.add(new String[] {Long.toString(id), random.nextInt(10) == 0 ? null : security(id, version + i)});
    }
    return out;
  }

  /** The job over two topics; each run with or without the filter, in memory or RocksDB. */
  private static final class Runner {
    final Path dir;
    final String quotes;
    final String securities;
    int runs;

    Runner(Path dir, Random random) throws Exception {
      this.dir = dir;
      this.quotes = TestBroker.topic("quotes");
      this.securities = TestBroker.topic("securities");
      TestBroker.createTopic(quotes, 1, false);
      TestBroker.createTopic(securities, 3, true);
      List<String> q = new ArrayList<>();
      for (int i = 0; i < 4_000; i++) q.add("{\"instrumentId\":" + random.nextInt(KEYS + 100) + "}");
      TestBroker.produceValues(quotes, q);
      List<String[]> first = new ArrayList<>();
      for (int i = 0; i < KEYS; i++) first.add(new String[] {Long.toString(i), security(i, 0)});
      first.addAll(updates(random, 10_000, KEYS, 1));
      TestBroker.produce(securities, first);
    }

    /** In RocksDB with state_dir {@code state}; {@code filter}: the join's reference_filter. */
    JobSummary kept(Path state, String out, boolean filter) throws Exception {
      return run(", state_backend: rocksdb, state_dir: '" + state + "'", out, filter);
    }

    /** In memory, nothing kept: what every kept run must write. */
    List<String> plain(boolean filter) throws Exception {
      String out = "plain" + runs + ".jsonl";
      run("", out, filter);
      return Files.readAllLines(dir.resolve(out));
    }

    JobSummary run(String state, String out, boolean filter) throws Exception {
      Map<String, String> v = new HashMap<>(Map.of("QUOTES", quotes, "SECURITIES", securities,
          "BOOTSTRAP", TestBroker.bootstrap(), "OUT", dir.resolve(out).toString(), "STATE", state,
          "FILTER", filter ? ", reference_filter: {column: TIER, operator: '>=', value: 1}" : ""));
      return Jobs.run(Jobs.write(dir, "job" + (runs++) + ".yaml", JOB, v));
    }

    /**
     * A new record key whose row has the ID of another key's row: the join key gets a second
     * row, which on_duplicate decides, so a store cannot take that step in place.
     */
    void publishASecondRowOfId7() throws Exception {
      TestBroker.produce(securities, List.<String[]>of(new String[] {"twin-of-7", security(7, 77)}));
    }

    List<String> lines(String out) throws Exception {
      return Files.readAllLines(dir.resolve(out));
    }
  }

  private static Map<String, Object> join(JobSummary s) {
    return s.operator("enrich").details();
  }

  private static void assertRestored(JobSummary s, long changes) {
    Map<String, Object> d = join(s);
    assertEquals(true, d.get("restored_from_snapshot"), s.format());
    assertEquals(true, d.get("store_restored"), s.format());
    assertEquals("rocksdb (kept by an earlier run)", d.get("state_backend"), s.format());
    assertEquals(0L, d.get("reference_rebuilds"), "the store was opened, not loaded: " + s.format());
    assertEquals(changes, d.get("bootstrap_records"), s.format());
    assertEquals(0L, s.operator("securities").rowsOut(), "no row loaded: " + s.format());
  }

  private static void assertLoaded(JobSummary s, String because) {
    Map<String, Object> d = join(s);
    assertEquals(false, d.get("store_restored"), s.format());
    assertEquals(1L, d.get("reference_rebuilds"), s.format());
    assertTrue(String.valueOf(d.get("store_not_restored_because")).contains(because), s.format());
    assertTrue((Long) d.get("store_kept") >= 1, "a new store is kept: " + s.format());
  }

  @Test
  void shouldOpenTheKeptStoreAndApplyOnlyTheChangesPublishedSince(@TempDir Path dir) throws Exception {
    Random random = new Random(3);
    Runner job = new Runner(dir, random);
    Path state = dir.resolve("state");

    JobSummary first = job.kept(state, "first.jsonl", false);
    assertEquals(false, join(first).get("store_restored"), first.format());
    assertTrue((Long) join(first).get("store_kept") >= 1, first.format());
    assertTrue(Files.isDirectory(state.resolve("enrich").resolve("rocksdb.kept")));
    assertEquals(job.plain(false), job.lines("first.jsonl"));

    List<String[]> later = updates(random, 2_000, KEYS, 1_000);
    for (int i = 0; i < 300; i++) later.add(new String[] {Long.toString(KEYS + i), security(KEYS + i, 7)});
    TestBroker.produce(job.securities, later);
    JobSummary second = job.kept(state, "second.jsonl", false);
    assertRestored(second, later.size());
    assertTrue((Long) join(second).get("reference_rows_changed_in_place") > 0, second.format());
    assertEquals(job.plain(false), job.lines("second.jsonl"));

    // nothing new: opened again, as the last run kept it
    JobSummary third = job.kept(state, "third.jsonl", false);
    assertRestored(third, 0);
    assertEquals(0L, join(third).get("reference_rows_changed_in_place"), third.format());
    assertEquals(job.plain(false), job.lines("third.jsonl"));

    // a catch-up of over a tenth of what the snapshot skipped: the reader writes a snapshot
    // right away, and the store is kept at its version at once
    List<String[]> many = updates(random, 8_000, KEYS + 300, 9_000);
    TestBroker.produce(job.securities, many);
    JobSummary fourth = job.kept(state, "fourth.jsonl", false);
    assertRestored(fourth, many.size());
    assertTrue((Long) join(fourth).get("store_kept") >= 1, fourth.format());
    assertEquals(job.plain(false), job.lines("fourth.jsonl"));
    try (Stream<Path> folders = Files.list(state.resolve("enrich").resolve("rocksdb.kept"))) {
      long n = folders.count();
      assertTrue(n >= 1 && n <= 2, "the store of the snapshot on disk, and the newest: " + n);
    }
    JobSummary fifth = job.kept(state, "fifth.jsonl", false);
    assertRestored(fifth, 0);
    assertEquals(job.plain(false), job.lines("fifth.jsonl"));
  }

  @Test
  void shouldLoadTheTableWhenTheChangesSinceTheSnapshotCannotBeAppliedInPlace(@TempDir Path dir)
      throws Exception {
    Random random = new Random(21);
    Runner job = new Runner(dir, random);
    Path state = dir.resolve("state");
    job.kept(state, "first.jsonl", false);
    job.publishASecondRowOfId7();
    JobSummary s = job.kept(state, "second.jsonl", false);
    Map<String, Object> d = join(s);
    assertEquals(true, d.get("restored_from_snapshot"), s.format());
    assertEquals(false, d.get("store_restored"), s.format());
    assertEquals(1L, d.get("reference_rebuilds"), "loaded from the reader's rows: " + s.format());
    assertTrue(String.valueOf(d.get("store_not_restored_because")).contains("cannot be applied in place"),
        s.format());
    assertEquals(job.plain(false), job.lines("second.jsonl"));
  }

  /**
   * No store kept at the version restored (here removed): the restored rows are loaded while the
   * reader restores; a catch-up that store cannot take in place (a key gets a second row) loads
   * the same store again from the reader's rows, and the output is a memory table's.
   */
  @Test
  void shouldLoadTheStoreAgainWhenTheRowsLoadedWhileRestoringCannotTakeTheCatchUp(@TempDir Path dir)
      throws Exception {
    Random random = new Random(31);
    Runner job = new Runner(dir, random);
    Path state = dir.resolve("state");
    job.kept(state, "first.jsonl", false);
    deleteTree(state.resolve("enrich").resolve("rocksdb.kept"));
    job.publishASecondRowOfId7();
    JobSummary s = job.kept(state, "second.jsonl", false);
    JobSummary plain = job.run("", "plain.jsonl", false);
    Map<String, Object> d = join(s);
    assertEquals(true, d.get("restored_from_snapshot"), s.format());
    assertEquals(true, d.get("reference_built_while_restoring"), s.format());
    assertEquals("rocksdb", d.get("state_backend"), s.format());
    assertEquals(2L, d.get("reference_rebuilds"), "loaded while restoring, then again: " + s.format());
    assertTrue(String.valueOf(d.get("reference_rebuilt_because")).contains("cannot be applied in place"),
        s.format());
    assertEquals(job.lines("plain.jsonl"), job.lines("second.jsonl"));
    assertEquals(plain.operator("securities").rowsOut(), s.operator("securities").rowsOut(),
        s.format());
    assertEquals(plain.operator("enrich").rowsOut(), s.operator("enrich").rowsOut(), s.format());
  }

  @Test
  void shouldRestoreATableThatAutoPutInRocksDb(@TempDir Path dir) throws Exception {
    Random random = new Random(13);
    Runner job = new Runner(dir, random);
    Path state = dir.resolve("state");
    String auto = ", state_backend: auto, memory_budget: 1m, state_dir: '" + state + "'";
    JobSummary first = job.run(auto, "first.jsonl", false);
    assertTrue(String.valueOf(join(first).get("state_backend")).startsWith("rocksdb (auto: "),
        first.format());
    TestBroker.produce(job.securities, updates(random, 700, KEYS, 3_000));
    JobSummary second = job.run(auto, "second.jsonl", false);
    assertEquals("rocksdb (auto: kept by an earlier run, which loaded it past memory_budget)",
        join(second).get("state_backend"), second.format());
    assertEquals(true, join(second).get("store_restored"), second.format());
    assertEquals(job.plain(false), job.lines("second.jsonl"));
  }

  @Test
  void shouldLoadTheTableWhenTheKeptStoreIsOfAnotherVersionDefinitionOrDamaged(@TempDir Path dir)
      throws Exception {
    Random random = new Random(8);
    Runner job = new Runner(dir, random);
    Path state = dir.resolve("state");
    Path kept = state.resolve("enrich").resolve("rocksdb.kept");
    job.kept(state, "first.jsonl", false);
    Path older = dir.resolve("older-kept");
    copyTree(kept, older);

    // another version: only the store of the first run beside the changelog's rows of the second
    TestBroker.produce(job.securities, updates(random, 500, KEYS, 5_000));
    assertRestored(job.kept(state, "second.jsonl", false), 500);
    deleteTree(kept);
    copyTree(older, kept);
    JobSummary s = job.kept(state, "other-version.jsonl", false);
    assertLoaded(s, "version");
    // none kept at the version restored: the store was loaded from the rows as they were restored
    assertEquals(true, join(s).get("reference_built_while_restoring"), s.format());
    assertEquals(job.plain(false), job.lines("other-version.jsonl"));

    // another definition: a reference_filter the kept store was not made with
    s = job.kept(state, "filtered.jsonl", true);
    assertLoaded(s, "definition");
    assertEquals(false, join(s).get("reference_built_while_restoring"), s.format());
    assertEquals(job.plain(true), job.lines("filtered.jsonl"));
    assertRestored(job.kept(state, "filtered-again.jsonl", true), 0);
    assertEquals(job.plain(true), job.lines("filtered-again.jsonl"));

    // a damaged file: bytes flipped in the middle of the largest table file
    Path sst;
    try (Stream<Path> files = Files.walk(kept)) {
      sst = files.filter(f -> f.toString().endsWith(".sst"))
          .max(Comparator.comparingLong(f -> f.toFile().length())).orElseThrow();
    }
    byte[] b = Files.readAllBytes(sst);
    for (int i = 0; i < 16; i++) b[b.length / 2 + i] ^= 0x5A;
    Files.delete(sst); // a hard link: write a new file, not into the one the store may share
    Files.write(sst, b);
    s = job.kept(state, "damaged.jsonl", true);
    Map<String, Object> d = join(s);
    assertEquals(false, d.get("store_restored"), s.format());
    assertFalse(String.valueOf(d.get("store_not_restored_because")).isEmpty(), s.format());
    assertEquals(job.plain(true), job.lines("damaged.jsonl"));
    assertRestored(job.kept(state, "after-damage.jsonl", true), 0);
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) Files.copy(f, to.resolve(from.relativize(f).toString()));
    }
  }

  private static void deleteTree(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
    }
  }
}
