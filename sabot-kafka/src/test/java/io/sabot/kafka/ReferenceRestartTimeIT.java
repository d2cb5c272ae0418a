package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not run by default: time to the first enriched row of a job whose reference table is a large
 * compacted topic, in a fresh JVM, cold (no snapshot: the topic read from offset 0) against warm
 * (restarted from the snapshot after a few thousand more updates), with the phases the job's
 * summary and the feed report.
 *
 * <pre>
 *   ./mvnw -B -o -pl sabot-core,sabot-kafka verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *       -Dit.test=ReferenceRestartTimeIT -Dsabot.measure=true -Dsabot.measure.records=10000000
 *   optional: -Dsabot.measure.rounds=3 -Dsabot.measure.jfr=/tmp/jfr (a recording per run;
 *             -Dsabot.measure.jfr.settings=FILE.jfc for other settings than "profile")
 *             -Dsabot.measure.backend=rocksdb (the table in RocksDB, its store kept in state_dir)
 *             -Dsabot.measure.jvm="-Xmx6g -XX:+UseParallelGC" (the job JVM's options)
 *             -Dsabot.measure.hugepages=false (default: as bin/sabot, transparent huge pages for
 *             the heap and malloc when the kernel offers them)
 *             -Dsabot.measure.launcher=../bin/sabot (each run through the launcher, as a user runs
 *             it, instead of on this test's class path, which holds the broker's jars too)
 *             -Dsabot.measure.classarchive=false (with the launcher: no class data sharing
 *             archive, SABOT_CLASS_ARCHIVE=0; by default the launcher makes it before the runs)
 * </pre>
 *
 * The securities are the workload's (docs/workload.md: ID, CUSIP, NAME, SECTOR as jsonl, keyed
 * by the ID's text) in 3 partitions; the stream is 2,000 quotes in a bounded topic.
 */
@Tag("integration")
@EnabledIfSystemProperty(named = "sabot.measure", matches = "true")
class ReferenceRestartTimeIT {
  static final String JOB = String.join("\n",
      "job_name: restart_time",
      "operators:",
      "  - name: quotes",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${QUOTES}, bootstrap_servers: '${BOOTSTRAP}', format: jsonl,",
      "      start: earliest, bounded: true, batch_size: 500,",
      "      schema: {instrumentId: int64, price: float64}}",
      "  - name: securities",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${SECURITIES}, bootstrap_servers: '${BOOTSTRAP}', format: jsonl,",
      "      schema: {ID: int64, CUSIP: string, NAME: string, SECTOR: string}}",
      "  - {name: enrich, type: HASH_JOIN, parameters: {left_key: instrumentId, right_key: ID,",
      "      join_type: left outer, state_dir: '${STATE}'${BACKEND}}}",
      "  - {name: out, type: SINK, parameters: {kafka_topic: ${OUT}, bootstrap_servers: '${BOOTSTRAP}'}}",
      "connect:",
      "  - [quotes, enrich]",
      "  - [securities, enrich]",
      "  - [enrich, out]",
      "");

  private static final String[] SECTORS = {"Technology", "Financials", "Health Care", "Energy",
      "Industrials", "Utilities", "Materials", "Real Estate", "Consumer Staples",
      "Consumer Discretionary", "Communication Services"};
  private static final int UPDATES = 5_000;
  private static final int QUOTES = 2_000;
  /** The feed's and the join's figures taken from the summary, in the order printed. */
  private static final String[] PHASES = {"build_ms", "feed_open_millis",
      "bootstrap_catch_up_millis", "snapshot_read_millis", "snapshot_read_wait_millis", "snapshot_index_millis",
      "snapshot_first_write_millis", "bootstrap_records", "store_restore_ms", "store_keep_ms",
      "snapshot_batches_restored", "snapshot_write_millis", "reference_restore_build_ms",
      "reference_restore_wait_ms"};

  static String security(long id, int version) {
    return "{\"ID\":" + id + ",\"CUSIP\":\"" + String.format("%09d", id * 7919 % 1_000_000_000)
        + "\",\"NAME\":\"SEC" + id + (version == 0 ? "" : "-v" + version) + "\",\"SECTOR\":\""
        + SECTORS[(int) (id % 11)] + "\"}";
  }

  /** {@code count} securities from {@code from}, or updates of random ones, with one producer. */
  private static void produceSecurities(String topic, long from, long count, int version,
                                        java.util.Random random, long range) {
    try (KafkaProducer<byte[], byte[]> p = KafkaClients.producer(TestBroker.bootstrap(),
        "restart-time-producer", null, Map.of("linger.ms", "20"))) {
      java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
      for (long i = 0; i < count; i++) {
        long id = random == null ? from + i : (long) (random.nextDouble() * range);
        p.send(new ProducerRecord<>(topic, Long.toString(id).getBytes(StandardCharsets.UTF_8),
            security(id, version).getBytes(StandardCharsets.UTF_8)), (m, e) -> {
              if (e != null) failed.compareAndSet(null, e);
            });
      }
      p.flush();
      if (failed.get() != null) throw new IllegalStateException("cannot write securities", failed.get());
    }
  }

  /** One run: the job in a JVM of its own, until its first output row and then to its end. */
  private static Map<String, Long> run(Path job, Path log, String out, Launcher launcher,
      List<String> jvm) throws Exception {
    Map<String, Long> m = new LinkedHashMap<>();
    try (KafkaConsumer<byte[], byte[]> c = KafkaClients.consumer(TestBroker.bootstrap(), null,
        "restart-time-reader", "earliest", Map.of())) {
      TopicPartition tp = new TopicPartition(out, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      c.position(tp);
      long launchedAt = System.currentTimeMillis();
      long t0 = System.nanoTime();
      Process p = launcher.start(job, log, jvm);
      long first = -1;
      try {
        while (first < 0 && System.nanoTime() - t0 < TimeUnit.MINUTES.toNanos(10)) {
          if (!c.poll(Duration.ofMillis(10)).isEmpty()) first = (System.nanoTime() - t0) / 1_000_000;
          if (first < 0 && !p.isAlive()) break;
        }
        assertTrue(first > 0, "no output from " + job + ": " + read(log));
        m.put("first_row_ms", first);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the job did not finish");
      } finally {
        p.destroyForcibly();
      }
      String text = read(log);
      assertEquals(0, p.exitValue(), text);
      Matcher started = Pattern.compile("main_started_at_ms=(\\d+)").matcher(text);
      // bin/sabot does not tell when main started: its JVM's start is in after_build_ms
      m.put("jvm_start_ms", started.find() ? Long.parseLong(started.group(1)) - launchedAt : 0);
      String enrich = text.lines().filter(l -> l.trim().startsWith("enrich ")).findFirst().orElse("");
      for (String phase : PHASES) {
        Matcher v = Pattern.compile(phase + "=(-?[\\d,]+)").matcher(enrich);
        m.put(phase, v.find() ? Long.parseLong(v.group(1).replace(",", "")) : -1);
      }
      m.put("table_build_ms", m.get("build_ms") - m.get("feed_open_millis"));
      m.put("after_build_ms", first - m.get("jvm_start_ms") - m.get("build_ms"));
      if (m.get("after_build_ms") > 10_000) { // a stall: the run's own account of it
        System.out.printf("%,d ms from the table to the first row; the run's output:%n%s%n",
            m.get("after_build_ms"), text);
      }
      m.put("restored", text.contains("restored_from_snapshot=true") ? 1L : 0L);
      m.put("store_restored", text.contains("store_restored=true") ? 1L : 0L);
    }
    return m;
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  /**
   * How a run's JVM starts: on this test's class path ({@link RunJob}, which also has the
   * broker's jars and its logging), or, with {@code launcher}, through bin/sabot as a user runs a
   * job (the CLI's jar, built by the launcher when missing).
   */
  private record Launcher(Path launcher, boolean hugePages, boolean classArchive) {
    /**
     * Has the launcher build the jar and make its class archive now, if it has not yet, so that
     * neither is inside the first run's time.
     */
    void prepare(Path log) throws Exception {
      if (launcher == null) return;
      Process p = command(log, List.of(), "--version").start();
      assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the launcher did not prepare: " + read(log));
      assertEquals(0, p.exitValue(), read(log));
    }

    Process start(Path job, Path log, List<String> jvm) throws java.io.IOException {
      if (launcher == null) {
        List<String> options = new ArrayList<>(jvm);
        // as bin/sabot runs a job: Arrow's per-access bounds and null checks off, huge pages
        options.addAll(0, List.of("-Darrow.enable_unsafe_memory_access=true",
            "-Darrow.enable_null_check_for_get=false"));
        if (!hugePages) return RunJob.start(job, log, options);
        options.add(0, "-XX:+UseTransparentHugePages"); // before the options given, as bin/sabot
        String tunables = System.getenv("GLIBC_TUNABLES");
        return RunJob.start(job, log, options, Map.of("GLIBC_TUNABLES",
            (tunables == null || tunables.isEmpty() ? "" : tunables + ":") + "glibc.malloc.hugetlb=1"));
      }
      return command(log, jvm, "run", job.toString()).start();
    }

    private ProcessBuilder command(Path log, List<String> jvm, String... args) {
      List<String> command = new ArrayList<>(List.of(launcher.toString()));
      command.addAll(List.of(args));
      ProcessBuilder process = new ProcessBuilder(command)
          .redirectErrorStream(true).redirectOutput(log.toFile());
      process.environment().put("SABOT_JAVA_OPTS", String.join(" ", jvm));
      process.environment().put("SABOT_HUGE_PAGES", hugePages ? "1" : "0");
      process.environment().put("SABOT_CLASS_ARCHIVE", classArchive ? "1" : "0");
      return process;
    }
  }

  /** As bin/sabot decides: transparent huge pages on request (madvise) or always. */
  private static boolean kernelOffersHugePages() {
    try {
      String modes = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
      return modes.contains("[madvise]") || modes.contains("[always]");
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) return;
    try (var s = Files.walk(dir)) {
      for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
    }
  }

  @Test
  void measureTimeToFirstRowColdAgainstWarm(@TempDir Path dir) throws Exception {
    long records = Long.getLong("sabot.measure.records", 1_000_000);
    int rounds = Integer.getInteger("sabot.measure.rounds", 3);
    List<String> jvm = new ArrayList<>(Arrays.asList(System.getProperty("sabot.measure.jvm",
        "-Xmx6g -XX:MaxDirectMemorySize=8g -XX:+UseParallelGC").trim().split("\\s+")));
    boolean hugePages = Boolean.parseBoolean(System.getProperty("sabot.measure.hugepages",
        String.valueOf(kernelOffersHugePages())));
    String launcherPath = System.getProperty("sabot.measure.launcher");
    boolean classArchive = Boolean.parseBoolean(System.getProperty("sabot.measure.classarchive",
        "true"));
    Launcher launcher = new Launcher(launcherPath == null ? null : Path.of(launcherPath).toAbsolutePath(),
        hugePages, classArchive);
    System.out.printf("job JVM: %s, huge pages %s, launcher %s%s%n", jvm, hugePages,
        launcherPath == null ? "the test's class path" : launcherPath,
        launcherPath == null ? "" : ", class archive " + classArchive);
    launcher.prepare(dir.resolve("prepare.log"));
    String jfr = System.getProperty("sabot.measure.jfr");
    String backend = System.getProperty("sabot.measure.backend", "memory");
    String quotes = TestBroker.topic("quotes");
    String securities = TestBroker.topic("securities");
    TestBroker.createTopic(quotes, 1, false);
    TestBroker.createTopic(securities, 3, true);
    long t0 = System.nanoTime();
    produceSecurities(securities, 0, records, 0, null, 0);
    System.out.printf("produced %,d securities in %,d ms%n", records, (System.nanoTime() - t0) / 1_000_000);
    List<String> q = new ArrayList<>();
    for (int i = 0; i < QUOTES; i++) {
      q.add("{\"instrumentId\":" + (i * 7_919L % (records + records / 20)) + ",\"price\":" + (1 + i % 199) + ".5}");
    }
    TestBroker.produceValues(quotes, q);
    Path state = dir.resolve("state");
    java.util.Random random = new java.util.Random(42);
    Map<String, List<Map<String, Long>>> runs = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (String kind : List.of("cold", "warm")) {
        if (kind.equals("cold")) {
          deleteTree(state); // no snapshot: the topic is read from offset 0
        } else {
          produceSecurities(securities, 0, UPDATES, round + 1, random, records);
        }
        String out = TestBroker.topic("enriched");
        TestBroker.createTopic(out, 1, false);
        Map<String, String> v = new HashMap<>(Map.of("QUOTES", quotes, "SECURITIES", securities,
            "BOOTSTRAP", TestBroker.bootstrap(), "STATE", state.toString(), "OUT", out,
            "BACKEND", ", state_backend: " + backend));
        Path job = Jobs.write(dir, kind + ".yaml", JOB, v);
        List<String> options = new ArrayList<>(jvm);
        if (jfr != null) {
          Files.createDirectories(Path.of(jfr));
          options.add("-XX:StartFlightRecording=filename=" + Path.of(jfr, kind + "-" + round + ".jfr")
              + ",settings=" + System.getProperty("sabot.measure.jfr.settings", "profile"));
        }
        Path log = dir.resolve(kind + "-" + round + ".log");
        Map<String, Long> m = run(job, log, out, launcher, options);
        assertEquals(kind.equals("warm") ? 1L : 0L, m.get("restored"), read(log));
        if (backend.equals("rocksdb")) {
          assertEquals(kind.equals("warm") ? 1L : 0L, m.get("store_restored"), read(log));
        }
        runs.computeIfAbsent(kind, k -> new ArrayList<>()).add(m);
        System.out.printf("%s round %d over %,d records: %s%n", kind, round, records, m);
      }
    }
    Map<String, Long> medians = new LinkedHashMap<>();
    for (var e : runs.entrySet()) {
      StringBuilder line = new StringBuilder();
      for (String key : e.getValue().get(0).keySet()) {
        long[] values = e.getValue().stream().mapToLong(r -> r.get(key)).sorted().toArray();
        long median = values[values.length / 2];
        medians.put(e.getKey() + "." + key, median);
        line.append(' ').append(key).append('=').append(String.format("%,d", median));
      }
      System.out.printf("median of %d, %s, %s, %,d records:%s%n", rounds, e.getKey(), backend,
          records, line);
    }
    System.out.printf("time to first enriched row over %,d records, state_backend %s (median of %d): "
        + "cold %,d ms, warm %,d ms, ratio %.1fx%n", records, backend, rounds, medians.get("cold.first_row_ms"),
        medians.get("warm.first_row_ms"),
        medians.get("cold.first_row_ms") / (double) medians.get("warm.first_row_ms"));
  }
}
