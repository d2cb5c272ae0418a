package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.exec.JobSummary;
import io.sabot.exec.OperatorSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live reference table with {@code state_dir}: the second run of a job loads the snapshot the
 * first one wrote and reads only the records published since; a snapshot that is corrupted,
 * truncated, of another table or of a recreated topic is refused (with a warning) and the table
 * is read from offset 0. Every run's output equals that of a run without {@code state_dir}.
 */
@Tag("integration")
class ReferenceSnapshotIT {
  static final String JOB = String.join("\n",
      "job_name: snapshot_reference",
      "operators:",
      "  - name: quotes",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${QUOTES}, bootstrap_servers: '${BOOTSTRAP}', format: jsonl,",
      "      start: earliest, bounded: true, batch_size: 1000, schema: {instrumentId: int64}}",
      "  - name: securities",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${SECURITIES}, bootstrap_servers: '${BOOTSTRAP}', format: jsonl,",
      "      ${KEY} schema: {ID: int64, NAME: string, PRICE: float64${MORE}}}",
      "  - {name: enrich, type: HASH_JOIN, parameters: {left_key: instrumentId, right_key: ID,",
      "      join_type: left outer${STATE}}}",
      "  - {name: out, type: SINK, parameters: {path: ${OUT}}}",
      "connect:",
      "  - [quotes, enrich]",
      "  - [securities, enrich]",
      "  - [enrich, out]",
      "");

  /**
   * {@link #JOB} with the reference rows filtered on their way to the table (so not as restored),
   * and a reference_filter hiding keys from 15,000 on in the table.
   */
  static final String FILTERED_JOB = derived(JOB,
      "  - {name: enrich,", "  - {name: priced, type: FILTER, parameters: {column: PRICE, "
          + "operator: '>=', value: 3}}\n  - {name: enrich,",
      "  - [securities, enrich]", "  - [securities, priced]\n  - [priced, enrich]",
      "join_type: left outer", "join_type: left outer, "
          + "reference_filter: {column: ID, operator: '<', value: 15000}");

  /** {@link #JOB} joined on a column whose values repeat (give it with MORE: BUCKET). */
  static final String BUCKET_JOB = derived(JOB, "right_key: ID,", "right_key: BUCKET,",
      "join_type: left outer", "join_type: left outer, on_duplicate: last");

  /** {@code job} with each of {@code edits}' pairs (text, replacement) replaced, once each. */
  private static String derived(String job, String... edits) {
    for (int i = 0; i < edits.length; i += 2) {
      if (!job.contains(edits[i])) throw new IllegalStateException("no '" + edits[i] + "' in the job");
      job = job.replace(edits[i], edits[i + 1]);
    }
    return job;
  }

  private static final int KEYS = 150_000;
  private static final int RECORDS = 200_000;

  private static String security(long id, int version) {
    return "{\"ID\":" + id + ",\"NAME\":\"S" + id + "-" + version + "\",\"PRICE\":" + version + ".5}";
  }

  /**
   * {@code count} records: keys 0 to {@code keys - 1} first, then updates of those keys, one in
   * ten a tombstone.
   */
  private static List<String[]> changes(Random random, int count, int keys, int version) {
    List<String[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (i < keys) {
        out.add(new String[] {Long.toString(i), security(i, version)});
      } else {
        out.addAll(updates(random, 1, keys, version + i));
      }
    }
    return out;
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

  /** The topic's end offsets now, as the feed's start_offsets says them: {@code 0:12,1:40}. */
  static String ends(String topic, int partitions) {
    try (KafkaConsumer<byte[], byte[]> c = KafkaClients.consumer(TestBroker.bootstrap(), null,
        "test-ends", "earliest", Map.of())) {
      List<TopicPartition> tps = new ArrayList<>();
      for (int p = 0; p < partitions; p++) tps.add(new TopicPartition(topic, p));
      Map<TopicPartition, Long> ends = new TreeMap<>((a, b) -> a.partition() - b.partition());
      ends.putAll(c.endOffsets(tps));
      StringBuilder sb = new StringBuilder();
      ends.forEach((tp, o) -> sb.append(sb.length() == 0 ? "" : ",").append(tp.partition()).append(':').append(o));
      return sb.toString();
    }
  }

  /** A job reading {@code securities}, with state_dir {@code state} (null: none). */
  private static final class Runner {
    final Path dir;
    final String quotes;
    final String securities;
    final String template;
    int runs;

    Runner(Path dir, String quotes, String securities) {
      this(dir, quotes, securities, JOB);
    }

    Runner(Path dir, String quotes, String securities, String template) {
      this.dir = dir;
      this.quotes = quotes;
      this.securities = securities;
      this.template = template;
    }

    JobSummary run(Path state, Path out) throws Exception {
      return run(state, out, "", "");
    }

    JobSummary run(Path state, Path out, String key, String more) throws Exception {
      return runJoin(state == null ? "" : ", state_dir: '" + state + "'", out, key, more);
    }

    /** With {@code join} added to the join's parameters (", state_dir: ..., ..."). */
    JobSummary runJoin(String join, Path out, String key, String more) throws Exception {
      Map<String, String> v = new HashMap<>(Map.of("QUOTES", quotes, "SECURITIES", securities,
          "BOOTSTRAP", TestBroker.bootstrap(), "OUT", out.toString(), "KEY", key, "MORE", more,
          "STATE", join));
      return Jobs.run(Jobs.write(dir, "job" + (runs++) + ".yaml", template, v));
    }
  }

  private static Map<String, Object> join(JobSummary s) {
    OperatorSummary j = s.operator("enrich");
    return j.details();
  }

  private static String[] topics(Random random) throws Exception {
    return topics(random, KEYS + 100);
  }

  /** As above, the quotes' instrumentIds below {@code quoteKeys}. */
  private static String[] topics(Random random, int quoteKeys) throws Exception {
    String quotes = TestBroker.topic("quotes");
    String securities = TestBroker.topic("securities");
    TestBroker.createTopic(quotes, 1, false);
    TestBroker.createTopic(securities, 3, false);
    List<String> q = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) q.add("{\"instrumentId\":" + random.nextInt(quoteKeys) + "}");
    TestBroker.produceValues(quotes, q);
    return new String[] {quotes, securities};
  }

  @Test
  void shouldRestoreFromTheSnapshotAndReadOnlyTheRecordsPublishedSince(@TempDir Path dir)
      throws Exception {
    Random random = new Random(42);
    String[] t = topics(random);
    TestBroker.produce(t[1], changes(random, RECORDS, KEYS, 0));
    Runner job = new Runner(dir, t[0], t[1]);
    Path state = dir.resolve("state");

    JobSummary first = job.run(state, dir.resolve("first.jsonl"));
    assertEquals(false, join(first).get("restored_from_snapshot"), first.format());
    assertEquals((long) RECORDS, join(first).get("bootstrap_records"));
    assertEquals("0:0,1:0,2:0", join(first).get("start_offsets"));
    assertTrue((Long) join(first).get("snapshots_written") >= 1, first.format());
    assertTrue(Files.exists(state.resolve("enrich").resolve(ReferenceSnapshotFile.NAME)));

    String saved = ends(t[1], 3);
    List<String[]> later = updates(random, 3_000, KEYS, 1_000_000);
    for (int i = 0; i < 500; i++) later.add(new String[] {Long.toString(KEYS + i), security(KEYS + i, 7)});
    TestBroker.produce(t[1], later);

    long t0 = System.nanoTime();
    JobSummary second = job.run(state, dir.resolve("second.jsonl"));
    long restartMillis = (System.nanoTime() - t0) / 1_000_000;
    Map<String, Object> d = join(second);
    assertEquals(true, d.get("restored_from_snapshot"), second.format());
    assertEquals(true, d.get("snapshot_mapped"), "the rows are views of the file, not read: " + second.format());
    assertEquals(saved, d.get("start_offsets"), second.format());
    assertEquals((long) later.size(), d.get("bootstrap_records"), second.format());
    assertEquals((long) RECORDS, d.get("snapshot_records_skipped"), second.format());
    assertFalse(d.containsKey("snapshot_refused"), second.format());
    // the table was built from the restored rows while the feed caught up, and took the
    // catch-up's changes in place before its first version
    assertEquals(true, d.get("reference_built_while_restoring"), second.format());
    assertEquals(1L, d.get("reference_rebuilds"), second.format());
    assertEquals(1L, d.get("reference_versions"), second.format());
    // how long that build took, and the part of it the feed's open did not cover
    long buildMillis = (Long) d.get("reference_restore_build_ms");
    long waitMillis = (Long) d.get("reference_restore_wait_ms");
    assertTrue(waitMillis >= 0 && buildMillis >= 0 && buildMillis <= restartMillis,
        second.format());

    long t1 = System.nanoTime();
    JobSummary plain = job.run(null, dir.resolve("plain.jsonl"));
    long plainMillis = (System.nanoTime() - t1) / 1_000_000;
    assertFalse(join(plain).containsKey("restored_from_snapshot"), plain.format());
    assertEquals((long) RECORDS + later.size(), join(plain).get("bootstrap_records"));
    assertEquals(Files.readAllLines(dir.resolve("plain.jsonl")),
        Files.readAllLines(dir.resolve("second.jsonl")));
    assertEquals(join(plain).get("changelog_keys"), d.get("changelog_keys"));
    assertEquals(plain.operator("securities").rowsOut(), second.operator("securities").rowsOut(),
        "the rows the table was built from: " + second.format());
    System.out.printf("restart from the snapshot: %d ms (restore %s ms); without state_dir: %d ms%n",
        restartMillis, d.get("restore_millis"), plainMillis);

    // nothing new: the third run reads nothing and writes no new snapshot
    JobSummary third = job.run(state, dir.resolve("third.jsonl"));
    assertEquals(true, join(third).get("restored_from_snapshot"));
    assertEquals(0L, join(third).get("bootstrap_records"));
    assertEquals(0L, join(third).get("snapshots_written"));
    assertEquals(Files.readAllLines(dir.resolve("plain.jsonl")),
        Files.readAllLines(dir.resolve("third.jsonl")));
  }

  /** A snapshot refused: read from 0, the reason in the stats, the output as without one. */
  private static void assertRebuilt(JobSummary s, String reason, Runner job, Path out, Path plain)
      throws Exception {
    Map<String, Object> d = join(s);
    assertEquals(false, d.get("restored_from_snapshot"), s.format());
    assertTrue(String.valueOf(d.get("snapshot_refused")).contains(reason), s.format());
    assertEquals("0:0,1:0,2:0", d.get("start_offsets"));
    assertEquals(Files.readAllLines(plain), Files.readAllLines(out));
    assertEquals(1L, d.get("snapshots_written"), "the refused snapshot is replaced");
  }

  @Test
  void shouldRebuildFromOffsetZeroWhenTheSnapshotIsCorruptedTruncatedOrForeign(@TempDir Path dir)
      throws Exception {
    Random random = new Random(7);
    String[] t = topics(random);
    TestBroker.produce(t[1], changes(random, 20_000, 15_000, 0));
    Runner job = new Runner(dir, t[0], t[1]);
    Path state = dir.resolve("state");
    Path file = state.resolve("enrich").resolve(ReferenceSnapshotFile.NAME);
    Path plain = dir.resolve("plain.jsonl");
    job.run(null, plain);
    job.run(state, dir.resolve("first.jsonl"));
    byte[] good = Files.readAllBytes(file);

    // bytes flipped in the middle of the rows
    byte[] flipped = good.clone();
    for (int i = 0; i < 8; i++) flipped[good.length / 2 + i] ^= 0x5A;
    Files.write(file, flipped);
    Path out = dir.resolve("flipped.jsonl");
    assertRebuilt(job.run(state, out), "checksum mismatch", job, out, plain);
    assertTrue(Files.exists(file));

    // truncated
    Files.write(file, java.util.Arrays.copyOf(good, good.length / 3));
    out = dir.resolve("truncated.jsonl");
    assertRebuilt(job.run(state, out), "checksum mismatch", job, out, plain);

    // another schema: a column more kept (so the stored columns differ too)
    Files.write(file, good);
    Runner wider = new Runner(dir, t[0], t[1]);
    JobSummary s = wider.run(state, dir.resolve("wider.jsonl"), "", ", SECTOR: string");
    assertEquals(false, join(s).get("restored_from_snapshot"), s.format());
    assertTrue(String.valueOf(join(s).get("snapshot_refused")).contains("it is of another table: schema="),
        s.format());

    // another topic: this job's snapshot put under a job reading another topic
    String[] other = topics(random);
    TestBroker.produce(other[1], changes(random, 1_000, 800, 0));
    Runner foreign = new Runner(dir, other[0], other[1]);
    Path otherPlain = dir.resolve("other-plain.jsonl");
    foreign.run(null, otherPlain);
    Files.write(file, good);
    out = dir.resolve("foreign.jsonl");
    s = foreign.run(state, out);
    assertTrue(String.valueOf(join(s).get("snapshot_refused")).contains("topic=" + t[1]), s.format());
    assertRebuilt(s, "it is of another table", foreign, out, otherPlain);
  }

  @Test
  void shouldRebuildWhenTheTopicWasRecreatedWithFewerRecords(@TempDir Path dir) throws Exception {
    Random random = new Random(11);
    String[] t = topics(random);
    TestBroker.produce(t[1], changes(random, 5_000, 4_000, 0));
    Runner job = new Runner(dir, t[0], t[1]);
    Path state = dir.resolve("state");
    job.run(state, dir.resolve("first.jsonl"));

    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
        Map.of("bootstrap.servers", TestBroker.bootstrap()))) {
      admin.deleteTopics(List.of(t[1])).all().get();
    }
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      try {
        TestBroker.createTopic(t[1], 3, false);
        break;
      } catch (org.apache.kafka.common.errors.TopicExistsException e) {
        if (System.currentTimeMillis() > deadline) throw e;
        Thread.sleep(200); // the deletion is still under way
      }
    }
    TestBroker.produce(t[1], changes(random, 300, 200, 5));
    Path plain = dir.resolve("plain.jsonl");
    job.run(null, plain);
    Path out = dir.resolve("recreated.jsonl");
    assertRebuilt(job.run(state, out), "is outside the partition's offsets", job, out, plain);
  }

  /**
   * The table is built from the restored rows while the feed catches up, through the reference
   * pipeline (a FILTER here; its reference_filter hides some keys), and takes the catch-up's
   * changes in place; when they do not fit in
   * its room (more changed keys than it has room for), it is built again from the feed's rows.
   * Either way the output is that of a job without state_dir.
   */
  @Test
  void shouldBuildTheTableWhileRestoringAndRebuildItWhenTheCatchUpDoesNotFit(@TempDir Path dir)
      throws Exception {
    Random random = new Random(11);
    int keys = 20_000;
    String[] t = topics(random, keys + 100);
    TestBroker.produce(t[1], changes(random, 30_000, keys, 0));
    Path state = dir.resolve("state");
    Runner job = new Runner(dir, t[0], t[1], FILTERED_JOB);
    job.run(state, dir.resolve("first.jsonl"));

    // a catch-up that fits: 1,000 changed keys against the table's room of 4,096 rows
    TestBroker.produce(t[1], updates(random, 1_000, keys, 2));
    JobSummary fits = job.run(state, dir.resolve("fits.jsonl"));
    Map<String, Object> d = join(fits);
    assertEquals(true, d.get("restored_from_snapshot"), fits.format());
    assertEquals(true, d.get("reference_built_while_restoring"), fits.format());
    assertEquals(1L, d.get("reference_rebuilds"), fits.format());
    assertEquals(1L, d.get("reference_versions"), fits.format());
    JobSummary fitsPlain = job.run(null, dir.resolve("fits-plain.jsonl"));
    assertEquals(Files.readAllLines(dir.resolve("fits-plain.jsonl")),
        Files.readAllLines(dir.resolve("fits.jsonl")));
    assertEquals(fitsPlain.operator("securities").rowsOut(), fits.operator("securities").rowsOut(),
        "the rows the table was built from: " + fits.format());

    // every key changed: far more than the room, so the table is built from the feed's rows
    // instead (and the one built while restoring is closed first)
    List<String[]> all = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      all.add(new String[] {Long.toString(i), i % 13 == 0 ? null : security(i, 3 + i % 5)});
    }
    TestBroker.produce(t[1], all);
    JobSummary refused = job.run(state, dir.resolve("refused.jsonl"));
    d = join(refused);
    assertEquals(true, d.get("restored_from_snapshot"), refused.format());
    assertEquals(false, d.get("reference_built_while_restoring"), refused.format());
    assertFalse(d.containsKey("reference_restore_build_ms"), refused.format());
    assertEquals(1L, d.get("reference_rebuilds"), refused.format());
    assertEquals("its room is used up", d.get("reference_rebuilt_because"), refused.format());
    JobSummary refusedPlain = job.run(null, dir.resolve("refused-plain.jsonl"));
    assertEquals(Files.readAllLines(dir.resolve("refused-plain.jsonl")),
        Files.readAllLines(dir.resolve("refused.jsonl")));
    assertEquals(refusedPlain.operator("securities").rowsOut(),
        refused.operator("securities").rowsOut(), "the rows counted once: " + refused.format());
  }

  /**
   * A table whose join key repeats takes no change in place, so the one built while restoring
   * is not used: the table is built from the feed's rows once it is open, with the same output.
   */
  @Test
  void shouldBuildATableWithRepeatedKeysFromTheFeedAfterARestore(@TempDir Path dir)
      throws Exception {
    Random random = new Random(13);
    String[] t = topics(random, 120);
    java.util.function.IntFunction<List<String[]>> versionOfAll = version -> {
      List<String[]> records = new ArrayList<>();
      for (int i = 0; i < 5_000; i++) {
        int id = version == 0 ? i : random.nextInt(5_000);
        records.add(new String[] {Long.toString(id), "{\"ID\":" + id + ",\"BUCKET\":" + id % 100
            + ",\"NAME\":\"S" + id + "-" + version + "\",\"PRICE\":" + version + "}"});
      }
      return records;
    };
    TestBroker.produce(t[1], versionOfAll.apply(0));
    Path state = dir.resolve("state");
    Runner job = new Runner(dir, t[0], t[1], BUCKET_JOB);
    String bucket = ", BUCKET: int64";
    job.run(state, dir.resolve("first.jsonl"), "", bucket);
    TestBroker.produce(t[1], versionOfAll.apply(1).subList(0, 300));
    JobSummary second = job.run(state, dir.resolve("second.jsonl"), "", bucket);
    Map<String, Object> d = join(second);
    assertEquals(true, d.get("restored_from_snapshot"), second.format());
    assertEquals(false, d.get("reference_built_while_restoring"), second.format());
    assertEquals("its base had duplicate keys", d.get("reference_rebuilt_because"), second.format());
    assertEquals(1L, d.get("reference_rebuilds"), second.format());
    JobSummary plain = job.run(null, dir.resolve("plain.jsonl"), "", bucket);
    assertEquals(Files.readAllLines(dir.resolve("plain.jsonl")),
        Files.readAllLines(dir.resolve("second.jsonl")));
    assertEquals(plain.operator("securities").rowsOut(), second.operator("securities").rowsOut(),
        "the rows counted once: " + second.format());
    // nothing published since: the table built from the restored rows is current as it is
    JobSummary third = job.run(state, dir.resolve("third.jsonl"), "", bucket);
    assertEquals(0L, join(third).get("bootstrap_records"), third.format());
    assertEquals(true, join(third).get("reference_built_while_restoring"), third.format());
    assertEquals(Files.readAllLines(dir.resolve("plain.jsonl")),
        Files.readAllLines(dir.resolve("third.jsonl")));
  }

  /**
   * {@code state_backend: auto} within its budget keeps the table in memory: its rows go through
   * the reference pipeline once, as without state_backend, at the first run and at a restart,
   * and the output is the same.
   */
  @Test
  void shouldReadTheRowsOnceWhenAutoKeepsALiveTableInMemory(@TempDir Path dir) throws Exception {
    Restart r = Restart.produced(17);
    Runner job = new Runner(dir, r.quotes(), r.securities(), FILTERED_JOB);
    String auto = ", state_backend: auto, memory_budget: 1g, state_dir: '" + dir.resolve("state") + "'";
    for (String run : List.of("first", "restart")) {
      if (run.equals("restart")) TestBroker.produce(r.securities(), r.since());
      JobSummary kept = job.runJoin(auto, dir.resolve(run + ".jsonl"), "", "");
      JobSummary plain = job.runJoin("", dir.resolve(run + "-plain.jsonl"), "", "");
      assertTrue(String.valueOf(join(kept).get("state_backend")).startsWith("memory (auto: "),
          kept.format());
      assertEquals(run.equals("restart"), join(kept).get("restored_from_snapshot"), kept.format());
      assertEquals(run.equals("restart") ? true : null,
          join(kept).get("reference_built_while_restoring"), kept.format());
      assertEquals(Files.readAllLines(dir.resolve(run + "-plain.jsonl")),
          Files.readAllLines(dir.resolve(run + ".jsonl")));
      assertEquals(plain.operator("securities").rowsOut(), kept.operator("securities").rowsOut(),
          kept.format());
      assertEquals(run.equals("first") ? plain.operator("priced").rowsIn()
          : rowsThroughARestart(r.before(), r.since()), kept.operator("priced").rowsIn(),
          "the reference filter saw each row once: " + kept.format());
    }
  }

  /**
   * The topics of a restart test, from {@code seed}: the securities' records of the first run
   * (produced here: 20,000 keys, then updates) and those the test publishes before the restart.
   */
  private record Restart(String quotes, String securities, List<String[]> before,
                         List<String[]> since) {
    static Restart produced(long seed) throws Exception {
      Random random = new Random(seed);
      int keys = 20_000;
      String[] t = topics(random, keys + 100);
      Restart r = new Restart(t[0], t[1], changes(random, 30_000, keys, 0),
          updates(random, 1_000, keys, 2));
      TestBroker.produce(r.securities(), r.before());
      return r;
    }
  }

  /**
   * The rows a reference pipeline sees at a restart whose table is built from the rows restored
   * (the keys live after {@code before}), then takes the catch-up's changes ({@code since}): each
   * restored row, then per key changed the row it had (when live) and the row it has now (when
   * live).
   */
  private static long rowsThroughARestart(List<String[]> before, List<String[]> since) {
    Map<String, Boolean> restored = new HashMap<>();
    for (String[] r : before) restored.put(r[0], r[1] != null);
    Map<String, Boolean> now = new HashMap<>();
    for (String[] r : since) now.put(r[0], r[1] != null);
    long rows = restored.values().stream().filter(live -> live).count();
    for (var e : now.entrySet()) {
      if (restored.getOrDefault(e.getKey(), false)) rows++;
      if (e.getValue()) rows++;
    }
    return rows;
  }

  /**
   * A restart of {@code state_backend: auto} whose restored rows now pass memory_budget (here a
   * budget lowered since the first run, which kept the table in memory, so no store was kept):
   * they are loaded into RocksDB while the feed restores, the changes published since applied to
   * the store, and the output and the reference pipeline's counts are those of a memory table.
   */
  @Test
  void shouldLoadTheRestoredRowsIntoRocksDbWhenAutoPassesItsBudgetAtARestart(@TempDir Path dir)
      throws Exception {
    Restart r = Restart.produced(23);
    Runner job = new Runner(dir, r.quotes(), r.securities(), FILTERED_JOB);
    String state = ", state_dir: '" + dir.resolve("state") + "'";
    JobSummary first = job.runJoin(", state_backend: auto, memory_budget: 1g" + state,
        dir.resolve("first.jsonl"), "", "");
    assertTrue(String.valueOf(join(first).get("state_backend")).startsWith("memory (auto: "),
        first.format());
    TestBroker.produce(r.securities(), r.since());
    JobSummary s = job.runJoin(", state_backend: auto, memory_budget: 100k" + state,
        dir.resolve("restart.jsonl"), "", "");
    JobSummary plain = job.runJoin("", dir.resolve("plain.jsonl"), "", "");
    Map<String, Object> d = join(s);
    assertTrue(String.valueOf(d.get("state_backend")).startsWith("rocksdb (auto: "), s.format());
    assertTrue(String.valueOf(d.get("state_backend")).contains("> memory_budget 100.0 KiB"),
        s.format());
    assertEquals(true, d.get("restored_from_snapshot"), s.format());
    assertEquals(true, d.get("reference_built_while_restoring"), s.format());
    assertEquals(false, d.get("store_restored"), s.format());
    assertTrue(String.valueOf(d.get("store_not_restored_because")).contains("for the version "
        + "restored"), s.format());
    assertEquals(1_000L, d.get("bootstrap_records"), s.format());
    assertEquals(Files.readAllLines(dir.resolve("plain.jsonl")),
        Files.readAllLines(dir.resolve("restart.jsonl")));
    assertEquals(plain.operator("securities").rowsOut(), s.operator("securities").rowsOut(),
        s.format());
    assertEquals(rowsThroughARestart(r.before(), r.since()), s.operator("priced").rowsIn(),
        "the filter saw the restored rows once, then the catch-up's: " + s.format());
  }

  @Test
  void shouldRestoreATableKeyedByAColumn(@TempDir Path dir) throws Exception {
    Random random = new Random(5);
    String[] t = topics(random);
    List<String[]> records = changes(random, 30_000, 20_000, 0);
    records.removeIf(r -> r[1] == null); // keyed by the ID column: no tombstones needed here
    TestBroker.produce(t[1], records);
    Runner job = new Runner(dir, t[0], t[1]);
    Path state = dir.resolve("state");
    job.run(state, dir.resolve("first.jsonl"), "key: ID,", "");
    TestBroker.produce(t[1], List.of(new String[] {"3", null}, new String[] {null, security(4, 99)}));
    JobSummary s = job.run(state, dir.resolve("second.jsonl"), "key: ID,", "");
    assertEquals(true, join(s).get("restored_from_snapshot"), s.format());
    assertEquals(2L, join(s).get("bootstrap_records"), s.format());
    job.run(null, dir.resolve("plain.jsonl"), "key: ID,", "");
    assertEquals(Files.readAllLines(dir.resolve("plain.jsonl")),
        Files.readAllLines(dir.resolve("second.jsonl")));
  }
}
