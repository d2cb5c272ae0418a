package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A job whose reference table is a 1M-record topic, run in a JVM of its own with
 * {@code state_dir}, killed with SIGKILL once its first output is out (its snapshot written
 * after the bootstrap), then restarted after more updates: the restart starts from the saved
 * offsets (it reads only the updates), reaches its first output much sooner, and its output is
 * that of the latest value of every key. With {@code state_backend: rocksdb}, the restart also
 * opens the RocksDB store kept beside the snapshot instead of loading the table again.
 */
@Tag("integration")
class ReferenceSnapshotAfterKillIT {
  static final String JOB = String.join("\n",
      "job_name: killed_reference",
      "operators:",
      "  - name: quotes",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${QUOTES}, bootstrap_servers: '${BOOTSTRAP}', format: jsonl,",
      "      start: earliest, bounded: ${BOUNDED}, batch_size: 500, schema: {instrumentId: int64}}",
      "  - name: securities",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${SECURITIES}, bootstrap_servers: '${BOOTSTRAP}', format: jsonl,",
      "      schema: {ID: int64, NAME: string}}",
      "  - {name: enrich, type: HASH_JOIN, parameters: {left_key: instrumentId, right_key: ID,",
      "      join_type: left outer, state_dir: '${STATE}', state_backend: ${BACKEND}}}",
      "  - {name: out, type: SINK, parameters: {kafka_topic: ${OUT}, bootstrap_servers: '${BOOTSTRAP}'}}",
      "connect:",
      "  - [quotes, enrich]",
      "  - [securities, enrich]",
      "  - [enrich, out]",
      "");

  private static final int RECORDS = 1_000_000;
  private static final int UPDATES = 2_000;
  private static final int QUOTES = 2_000;

  private static String security(long id, int version) {
    return "{\"ID\":" + id + ",\"NAME\":\"security-" + id + "-v" + version + "\"}";
  }

  /** Starts the job and waits for its first {@code QUOTES} output records; the millis it took. */
  private static long untilOutput(Path job, Path log, String out, Process[] started) throws Exception {
    long t0 = System.nanoTime();
    started[0] = RunJob.start(job, log);
    List<?> rows = TestBroker.readAll(out, QUOTES, Duration.ofSeconds(180));
    assertEquals(QUOTES, rows.size(), () -> "output of " + job + ": " + read(log));
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocksdb"})
  void shouldRestartFromTheSnapshotAfterAKillNotFromOffsetZero(String backend, @TempDir Path dir)
      throws Exception {
    String quotes = TestBroker.topic("quotes");
    String securities = TestBroker.topic("securities");
    String out1 = TestBroker.topic("enriched");
    String out2 = TestBroker.topic("enriched");
    TestBroker.createTopic(quotes, 1, false);
    TestBroker.createTopic(securities, 3, false);
    TestBroker.createTopic(out1, 1, false);
    TestBroker.createTopic(out2, 1, false);
    Map<Long, String> latest = new HashMap<>();
    for (int from = 0; from < RECORDS; from += 100_000) {
      List<String[]> chunk = new ArrayList<>(100_000);
      for (long id = from; id < from + 100_000; id++) {
        String v = security(id, 0);
        chunk.add(new String[] {Long.toString(id), v});
        latest.put(id, v);
      }
      TestBroker.produce(securities, chunk);
    }
    Random random = new Random(3);
    List<String> q = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < QUOTES; i++) {
      long id = random.nextInt(RECORDS + 1000);
      ids.add(id);
      q.add("{\"instrumentId\":" + id + "}");
    }
    TestBroker.produceValues(quotes, q);

    Path state = dir.resolve("state");
    Map<String, String> v = new HashMap<>(Map.of("QUOTES", quotes, "SECURITIES", securities,
        "BOOTSTRAP", TestBroker.bootstrap(), "STATE", state.toString(), "BOUNDED", "false",
        "OUT", out1, "BACKEND", backend));
    Path unbounded = Jobs.write(dir, "unbounded.yaml", JOB, v);
    Process[] first = new Process[1];
    long fullMillis;
    try {
      fullMillis = untilOutput(unbounded, dir.resolve("first.log"), out1, first);
      // written on a thread of its own after the bootstrap: it may come after the first output
      Path snapshot = state.resolve("enrich").resolve(ReferenceSnapshotFile.NAME);
      long deadline = System.currentTimeMillis() + 60_000;
      while (!Files.exists(snapshot) && System.currentTimeMillis() < deadline) Thread.sleep(20);
      assertTrue(Files.exists(snapshot), "no snapshot 60 s after the bootstrap");
    } finally {
      if (first[0] != null) first[0].destroyForcibly(); // SIGKILL: no close, no final snapshot
    }
    assertTrue(first[0].waitFor(20, TimeUnit.SECONDS));

    String saved = ReferenceSnapshotIT.ends(securities, 3);
    List<String[]> updates = new ArrayList<>();
    for (int i = 0; i < UPDATES; i++) {
      long id = random.nextInt(RECORDS);
      String value = i % 10 == 0 ? null : security(id, i + 1);
      updates.add(new String[] {Long.toString(id), value});
      if (value == null) {
        latest.remove(id);
      } else {
        latest.put(id, value);
      }
    }
    TestBroker.produce(securities, updates);

    v.put("BOUNDED", "true");
    v.put("OUT", out2);
    Path bounded = Jobs.write(dir, "bounded.yaml", JOB, v);
    Process[] second = new Process[1];
    long restartMillis;
    try {
      restartMillis = untilOutput(bounded, dir.resolve("second.log"), out2, second);
      assertTrue(second[0].waitFor(120, TimeUnit.SECONDS), "the restarted job did not finish");
    } finally {
      if (second[0] != null) second[0].destroyForcibly();
    }
    String log = Files.readString(dir.resolve("second.log"));
    System.out.println(log);
    assertEquals(0, second[0].exitValue(), log);
    assertTrue(log.contains("restored_from_snapshot=true"), log);
    if (backend.equals("rocksdb")) {
      assertTrue(log.contains("store_restored=true"), "the kept store is opened: " + log);
      assertTrue(log.contains("reference_rebuilds=0"), "the table is not loaded again: " + log);
    }
    assertTrue(log.contains("start_offsets=" + saved + ","), "starts at " + saved + ": " + log);
    Matcher read = Pattern.compile("bootstrap_records=([\\d,]+)").matcher(log);
    assertTrue(read.find(), log);
    long reread = Long.parseLong(read.group(1).replace(",", ""));
    assertEquals(UPDATES, reread, log);
    assertTrue(reread < RECORDS / 10);

    List<String> expected = new ArrayList<>();
    for (long id : ids) {
      String value = latest.get(id);
      expected.add("{\"instrumentId\":" + id + ",\"NAME\":"
          + (value == null ? "null" : "\"" + value.substring(value.indexOf("security-"),
              value.lastIndexOf('"')) + "\"") + "}");
    }
    assertEquals(expected, TestBroker.values(TestBroker.readAll(out2, QUOTES, Duration.ofSeconds(30))));
    System.out.printf("first output: %,d ms with a full bootstrap of %,d records, %,d ms after the "
        + "restart from the snapshot (%,d records read)%n", fullMillis, RECORDS, restartMillis, reread);
  }

  /**
   * Not run by default ({@code -Dsabot.measure=true}): a bounded job over a 1M-record reference
   * topic, three times reading it from offset 0 (no state_dir) and three times restoring it from
   * a snapshot; prints each run's wall time and the join's build_ms, and their medians.
   */
  @Test
  @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "sabot.measure", matches = "true")
  void measureRestartAgainstAFullBootstrap(@TempDir Path dir) throws Exception {
    String quotes = TestBroker.topic("quotes");
    String securities = TestBroker.topic("securities");
    TestBroker.createTopic(quotes, 1, false);
    TestBroker.createTopic(securities, 3, false);
    for (int from = 0; from < RECORDS; from += 100_000) {
      List<String[]> chunk = new ArrayList<>(100_000);
      for (long id = from; id < from + 100_000; id++) chunk.add(new String[] {Long.toString(id), security(id, 0)});
      TestBroker.produce(securities, chunk);
    }
    List<String> q = new ArrayList<>();
    for (int i = 0; i < QUOTES; i++) q.add("{\"instrumentId\":" + (i * 499L % RECORDS) + "}");
    TestBroker.produceValues(quotes, q);
    String plainJob = JOB.replace(", state_dir: '${STATE}'", "");
    long[][] times = new long[2][3];
    long[][] builds = new long[2][3];
    for (int round = -1; round < 3; round++) {
      for (int withState = 0; withState < 2; withState++) {
        if (round < 0 && withState == 0) continue; // the priming run writes the first snapshot
        String out = TestBroker.topic("enriched");
        Map<String, String> v = new HashMap<>(Map.of("QUOTES", quotes, "SECURITIES", securities,
            "BOOTSTRAP", TestBroker.bootstrap(), "STATE", dir.resolve("state").toString(),
            "BOUNDED", "true", "OUT", out, "BACKEND", "memory"));
        Path job = Jobs.write(dir, "m.yaml", withState == 1 ? JOB : plainJob, v);
        long t0 = System.nanoTime();
        var summary = Jobs.run(job);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        if (round < 0) continue;
        assertEquals(withState == 1, Boolean.TRUE.equals(summary.operator("enrich").details()
            .get("restored_from_snapshot")), summary.format());
        times[withState][round] = millis;
        builds[withState][round] = summary.operator("enrich").detail("build_ms");
        System.out.printf("%s: %,d ms (build_ms %,d)%n", withState == 1 ? "restore" : "full bootstrap",
            millis, builds[withState][round]);
      }
    }
    for (long[] t : times) java.util.Arrays.sort(t);
    for (long[] b : builds) java.util.Arrays.sort(b);
    System.out.printf("median of 3 over %,d records: full bootstrap %,d ms (build_ms %,d), restore "
        + "from snapshot %,d ms (build_ms %,d)%n", RECORDS, times[0][1], builds[0][1], times[1][1],
        builds[1][1]);
  }
}
