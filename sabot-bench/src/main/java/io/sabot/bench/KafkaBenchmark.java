package io.sabot.bench;

import io.sabot.connect.generator.GeneratorSource;
import io.sabot.exec.ExecutionOptions;
import io.sabot.exec.JobManager;
import io.sabot.exec.JobSummary;
import io.sabot.exec.OperatorSummary;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.kafka.KafkaBroker;
import io.sabot.kafka.KafkaTopics;
import io.sabot.optimizer.PlanOptimizer;
import io.sabot.reference.ReferenceTableStatus;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * {@code sabot bench-kafka}: docs/workload.md's enrichment with both inputs in Kafka topics, through
 * the engine as {@code sabot run} runs it.
 *
 * <pre>
 *   check (not timed)  the same N, R in memory (sabot bench --format memory) ─► expected out rows
 *   broker             --bootstrap, or a child-JVM KRaft broker on 127.0.0.1 (KafkaBroker, temp dir)
 *   topics             quotes (4 partitions), securities (1 partition, compacted), enriched (4)
 *   load (not timed,   generator: securities ─► kafka sink (jsonl, keyed by ID)
 *         rate shown)  generator: quotes     ─► kafka sink (--format)
 *   timed, K runs      quotes topic (fresh group, start: earliest, bounded: true) ─► filter price > 100
 *                      ─► join instrumentId = ID with the securities topic (live reference table,
 *                      bootstrapped from the topic) ─► discard
 *   once               the same with a kafka sink to the enriched topic (end to end, writing included)
 *   RESULT_KAFKA format=F rows_per_s=(median) out=(rows) bootstrap_ms=(median)
 * </pre>
 *
 * rows/s is the summary's stream-stage rate: N over the wall time from the first poll of the
 * quotes topic to the last row written, after the reference table was built; bootstrap_ms is the
 * join's build_ms (read the securities topic to its end, decode, build the table). The securities
 * topic is always JSON, one record per security keyed by its ID: a changelog needs one row per
 * record, which an arrow record (a whole batch) is not. Every run must write exactly the rows the
 * in-memory engine writes, read all N quotes and see all R securities.
 */
public final class KafkaBenchmark {
  static final int QUOTE_PARTITIONS = 4;
  static final int SECURITY_PARTITIONS = 1;
  /** Room for an arrow record of a large batch (the broker's default limit is 1 MB). */
  static final String MAX_MESSAGE_BYTES = String.valueOf(16 << 20);
  /** The labels of the --live-updates jobs whose tables take no update (see measureLive). */
  private static final String STATIC = "static";
  private static final String CONTROL = "control";

  /** How the quotes (and the enriched rows) are encoded in their topics. */
  public enum Format {
    JSONL, ARROW;

    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * @param bootstrap  an existing broker's bootstrap servers, or null to start one here
   * @param kafkaSink  also run once with a kafka sink (the end-to-end figure)
   * @param check      compare the output rows with the in-memory engine's for the same N, R
   */
  public record Options(long rows, long referenceRows, Format format, int threads, String bootstrap,
                        int warmups, int runs, int batchSize, boolean kafkaSink, boolean check,
                        long liveUpdates, long refreshMs, boolean everyBatch) {
    /** Without live updates. */
    public Options(long rows, long referenceRows, Format format, int threads, String bootstrap,
                   int warmups, int runs, int batchSize, boolean kafkaSink, boolean check) {
      this(rows, referenceRows, format, threads, bootstrap, warmups, runs, batchSize, kafkaSink,
          check, 0, 0, true);
    }

    public Options {
      if (liveUpdates < 0) throw new IllegalArgumentException("live updates must be >= 0, not " + liveUpdates);
      if (refreshMs < 0) throw new IllegalArgumentException("reference refresh must be >= 0 ms, not " + refreshMs);
      if (rows < 1) throw new IllegalArgumentException("rows must be at least 1, not " + rows);
      if (referenceRows < 1 || referenceRows > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("reference rows must be between 1 and "
            + Integer.MAX_VALUE + ", not " + referenceRows);
      }
      if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, not " + threads);
      if (warmups < 0) throw new IllegalArgumentException("warm-up runs must be >= 0, not " + warmups);
      if (runs < 1) throw new IllegalArgumentException("runs must be at least 1, not " + runs);
      if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
      if (!everyBatch && refreshMs == 0) {
        throw new IllegalArgumentException("without the live job that takes changes before every "
            + "batch, a live job needs --reference-refresh-ms");
      }
    }

    String describe() {
      return String.format("N=%,d quotes, R=%,d securities, %d thread%s, format %s, batch %,d rows, "
              + "%d warm-up + %d timed runs, broker %s", rows, referenceRows, threads,
          threads == 1 ? "" : "s", format.text(), batchSize, warmups, runs,
          bootstrap == null ? "started here (child JVM on 127.0.0.1)" : bootstrap);
    }
  }

  /**
   * The medians of the timed runs (sink discard), the rows every run wrote, and the end-to-end
   * run with a kafka sink (null when not run).
   */
  public record Report(Format format, Measurement median, long rowsOut, Measurement withKafkaSink) {
    public String resultLine() {
      return String.format(Locale.ROOT, "RESULT_KAFKA format=%s rows_per_s=%.0f out=%d bootstrap_ms=%.0f",
          format.text(), median.rowsPerSecond(), rowsOut, median.buildMillis());
    }
  }

  /** The topics of one benchmark, named uniquely so runs against a shared broker never collide. */
  record Topics(String prefix, String quotes, String securities, String quietSecurities,
                String enriched) {
    static Topics unique() {
      String prefix = "sabot-bench-" + UUID.randomUUID().toString().substring(0, 8);
      return new Topics(prefix, prefix + "-quotes", prefix + "-securities",
          prefix + "-securities-quiet", prefix + "-enriched");
    }
  }

  private final Options options;
  private final PrintStream out;
  private final AtomicInteger group = new AtomicInteger();

  public KafkaBenchmark(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public Report run() throws IOException {
    HeapPeak.keepTheHeapAfterFullCollections();
    Runtime rt = Runtime.getRuntime();
    out.printf("sabot bench-kafka: %s%n", options.describe());
    out.printf("jvm: %s %s, %d cores, max heap %s%n", System.getProperty("java.vm.name"),
        System.getProperty("java.version"), rt.availableProcessors(), Measurement.mib(rt.maxMemory()));
    long expected = options.check() ? inMemoryRows() : -1;
    KafkaBroker broker = null;
    String bootstrap = options.bootstrap();
    if (bootstrap == null) {
      long t0 = System.nanoTime();
      broker = KafkaBroker.start();
      bootstrap = broker.bootstrapServers();
      out.printf("broker: started at %s (pid %d, data in %s) in %.1f s%n", bootstrap, broker.pid(),
          broker.dataDirectory(), (System.nanoTime() - t0) / 1e9);
    }
    try (KafkaTopics admin = KafkaTopics.connect(bootstrap)) {
      Topics topics = Topics.unique();
      createTopics(admin, topics);
      try {
        load(admin, topics, bootstrap);
        if (options.liveUpdates() > 0) {
          measureLive(topics, bootstrap, expected);
          return null;
        }
        return measure(admin, topics, bootstrap, expected);
      } finally {
        if (broker == null) deleteTopics(admin, topics);
      }
    } finally {
      if (broker != null) {
        long t0 = System.nanoTime();
        broker.close();
        out.printf("broker: stopped in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      }
      out.flush();
    }
  }

  /** The output rows of the same N, R through the engine with the data in memory. */
  private long inMemoryRows() {
    BenchOptions memory = new BenchOptions(options.rows(), options.referenceRows(), options.threads(),
        BenchOptions.Format.MEMORY, BenchOptions.Join.INNER, BenchOptions.Output.DISCARD, 0, 1,
        options.batchSize(), Path.of(System.getProperty("java.io.tmpdir"), "sabot-bench"), false, 1,
        false, "memory");
    try (Workload data = Workload.prepare(memory, out)) {
      Measurement m = new EngineRun(() -> BenchJobs.wellWritten(data, memory), options.threads(), true).run();
      out.println(m.format("in-memory engine"));
      out.printf("check: the in-memory engine (sabot bench --format memory) writes %,d rows for "
          + "N=%,d, R=%,d; every Kafka run must write as many%n", m.rowsOut(), options.rows(),
          options.referenceRows());
      return m.rowsOut();
    }
  }

  private void createTopics(KafkaTopics admin, Topics t) throws IOException {
    KafkaTopics.Topic quotes = new KafkaTopics.Topic(t.quotes(), QUOTE_PARTITIONS,
        Map.of("max.message.bytes", MAX_MESSAGE_BYTES));
    KafkaTopics.Topic securities = new KafkaTopics.Topic(t.securities(), SECURITY_PARTITIONS,
        Map.of("cleanup.policy", "compact"));
    KafkaTopics.Topic enriched = new KafkaTopics.Topic(t.enriched(), QUOTE_PARTITIONS,
        Map.of("max.message.bytes", MAX_MESSAGE_BYTES));
    List<KafkaTopics.Topic> all = new ArrayList<>(List.of(quotes, securities));
    if (options.kafkaSink()) all.add(enriched);
    if (options.liveUpdates() > 0) {
      all.add(new KafkaTopics.Topic(t.quietSecurities(), SECURITY_PARTITIONS,
          Map.of("cleanup.policy", "compact")));
    }
    admin.create(all, t.prefix() + "-*");
    out.printf("topics: %s (%d partitions), %s (%d partition, compacted)%s%s%n", t.quotes(),
        QUOTE_PARTITIONS, t.securities(), SECURITY_PARTITIONS, options.liveUpdates() > 0
            ? ", " + t.quietSecurities() + " (the same, never updated)" : "", options.kafkaSink()
            ? ", " + t.enriched() + " (" + QUOTE_PARTITIONS + " partitions)" : "");
  }

  private void deleteTopics(KafkaTopics admin, Topics t) {
    List<String> groups = new ArrayList<>();
    for (int i = 1; i <= group.get(); i++) groups.add(t.prefix() + "-run" + i);
    try {
      List<String> topics = new ArrayList<>(List.of(t.quotes(), t.securities(), t.enriched()));
      if (options.liveUpdates() > 0) topics.add(t.quietSecurities());
      admin.delete(topics, groups);
      out.printf("cleanup: deleted topics and consumer groups %s-*%n", t.prefix());
    } catch (Exception e) {
      out.printf("cleanup: could not delete all of topics and consumer groups %s-* (%s)%n",
          t.prefix(), e.getMessage());
    }
  }

  /** Loads both topics with the engine itself (generator source, kafka sink); not timed. */
  private void load(KafkaTopics admin, Topics t, String bootstrap) throws IOException {
    JobManager jobs = new JobManager(ExecutionOptions.defaults().withThreads(options.threads()),
        new PlanOptimizer());
    Map<String, Object> securities = new LinkedHashMap<>();
    securities.put("generator", "securities");
    securities.put("rows", options.referenceRows());
    securities.put("batch_size", options.batchSize());
    JobSummary s = jobs.submitJob(KafkaBenchJobs.load("load_securities", securities,
        kafkaSink(t.securities(), Format.JSONL, bootstrap, "ID"))).summary();
    reportLoad("securities", t.securities(), "jsonl, keyed by ID", s, options.referenceRows(), admin);
    if (options.liveUpdates() > 0) {
      // the same rows once more, for the control job: it reads this copy while the updates go
      // to the other topic
      JobSummary quiet = jobs.submitJob(KafkaBenchJobs.load("load_quiet_securities", securities,
          kafkaSink(t.quietSecurities(), Format.JSONL, bootstrap, "ID"))).summary();
      reportLoad("securities", t.quietSecurities(), "jsonl, keyed by ID; never updated", quiet,
          options.referenceRows(), admin);
    }

    Map<String, Object> quotes = new LinkedHashMap<>();
    quotes.put("generator", "quotes");
    quotes.put("rows", options.rows());
    quotes.put("reference_rows", options.referenceRows());
    quotes.put("batch_size", options.batchSize());
    JobSummary q = jobs.submitJob(KafkaBenchJobs.load("load_quotes", quotes,
        kafkaSink(t.quotes(), options.format(), bootstrap, null))).summary();
    reportLoad("quotes", t.quotes(), options.format().text(), q, options.rows(), admin);
  }

  private void reportLoad(String what, String topic, String how, JobSummary s, long rows, KafkaTopics admin)
      throws IOException {
    if (s.rowsOut() != rows) {
      throw new BenchmarkFailure("loading " + what + ": the kafka sink acknowledged " + s.rowsOut()
          + " rows, not " + rows + ":\n" + s.format());
    }
    long bytes = admin.bytesOnDisk(topic);
    out.printf(Locale.ROOT, "load (not timed): %,d %s into %s (%s) in %.1f s: %s rows/s, %s on the "
            + "topic (%.1f bytes/row)%n", rows, what, topic, how, s.wallSeconds(),
        Measurement.rate(rows / s.wallSeconds()), Measurement.mib(bytes), (double) bytes / rows);
  }

  private Report measure(KafkaTopics admin, Topics t, String bootstrap, long expected) throws IOException {
    EngineRun discard = new EngineRun(() -> enrich(t, bootstrap, discardSink()), options.threads(), true);
    for (int i = 1; i <= options.warmups(); i++) {
      out.println(discard.run().format("warm-up " + i) + references(discard));
    }
    List<Measurement> runs = new ArrayList<>();
    for (int i = 1; i <= options.runs(); i++) {
      Measurement m = discard.run();
      runs.add(m);
      out.println(m.format("run " + i + " (discard)") + references(discard));
      checkRun(discard.last().summary(), expected, "run " + i);
    }
    out.print("plan (optimized, as run):\n"
        + BenchmarkRunner.indent(BenchmarkRunner.planAsRun(discard.last())));
    out.print("summary of the last run:\n" + BenchmarkRunner.indent(discard.last().summary().format()));
    Measurement median = Measurement.median(runs);
    long rows = BenchmarkRunner.sameRows("the engine over Kafka", runs);
    out.println("engine, quotes and securities from Kafka, sink discard:");
    out.println(median.format("median"));

    Measurement sink = null;
    if (options.kafkaSink()) {
      EngineRun toKafka = new EngineRun(() -> enrich(t, bootstrap,
          kafkaSink(t.enriched(), options.format(), bootstrap, null)), options.threads(), true);
      sink = toKafka.run();
      out.println(sink.format("kafka sink (once)") + references(toKafka));
      checkRun(toKafka.last().summary(), expected, "the run with a kafka sink");
      long records = admin.endOffsets(t.enriched());
      if (options.format() == Format.JSONL && records != sink.rowsOut()) {
        throw new BenchmarkFailure("the kafka sink counted " + sink.rowsOut() + " rows written but "
            + "topic " + t.enriched() + " holds " + records + " records");
      }
      out.printf(Locale.ROOT, "END_TO_END format=%s rows_per_s=%.0f out=%d records=%d bytes=%d "
              + "wall_s=%.3f%n", options.format().text(), sink.rowsPerSecond(), sink.rowsOut(),
          records, admin.bytesOnDisk(t.enriched()), sink.wallNanos() / 1e9);
    }
    if (expected >= 0) {
      out.printf("check: every run wrote %,d rows, as the in-memory engine%n", rows);
    }
    Report report = new Report(options.format(), median, rows, sink);
    out.println(report.resultLine());
    out.flush();
    return report;
  }

  /**
   * One job of {@code --live-updates}: its table's reference_refresh_ms ({@code refreshMs}, 0:
   * changes taken before every batch); {@code updatesWritten}: the updates are written while it
   * runs; {@code securities}: the topic its table reads; {@code baseline}: the label of the
   * static job it is compared with (null: none), {@code control}: of the control (null: none).
   */
  private record LiveJob(String label, long refreshMs, boolean updatesWritten, String securities,
                         String baseline, String control) {
  }

  /**
   * {@code --live-updates RATE}: runs interleaved, each job reading the quotes topic from the
   * start, for each way of taking changes asked for (before every batch; with
   * {@code --reference-refresh-ms}, every N ms on the table's own thread):
   * <ul>
   *   <li>the static table: the same job, no update written. Its table looks at its topic as
   *   often as the live job's does (before every batch, a round trip to the broker on the
   *   stream's reader; or every N ms on its own thread), so the two differ only in the updates;
   *   <li>with a refresh, the control: the same job reading a copy of the securities that is never
   *   updated while the updates are written to the other topic, so the machine carries the
   *   writer's and the broker's work and the table applies nothing;
   *   <li>the live table, while the updates are written at RATE a second.
   * </ul>
   * The updates are written on this machine, into the same broker, while the job runs: their cost
   * is in the live figures and in the control's, which sets the engine's own cost of applying
   * them apart from that.
   */
  private void measureLive(Topics t, String bootstrap, long expected) {
    String live = "live " + LiveUpdatesBenchmark.label(options.liveUpdates());
    List<LiveJob> jobs = new ArrayList<>();
    if (options.everyBatch()) {
      jobs.add(new LiveJob(STATIC, 0, false, t.securities(), null, null));
      jobs.add(new LiveJob(live, 0, true, t.securities(), STATIC, null));
    }
    if (options.refreshMs() > 0) {
      String ms = " " + options.refreshMs() + "ms";
      jobs.add(new LiveJob(STATIC + ms, options.refreshMs(), false, t.securities(), null, null));
      jobs.add(new LiveJob(CONTROL + ms, options.refreshMs(), true, t.quietSecurities(),
          STATIC + ms, null));
      jobs.add(new LiveJob(live + ms, options.refreshMs(), true, t.securities(), STATIC + ms,
          CONTROL + ms));
    }
    Map<String, List<Measurement>> runs = new LinkedHashMap<>();
    jobs.forEach(j -> runs.put(j.label(), new ArrayList<>()));
    // each run against the static and the control run of its round: the machine drifts between
    // rounds
    Map<String, List<Double>> againstBaseline = new LinkedHashMap<>();
    Map<String, List<Double>> againstControl = new LinkedHashMap<>();
    jobs.forEach(j -> againstBaseline.put(j.label(), new ArrayList<>()));
    jobs.forEach(j -> againstControl.put(j.label(), new ArrayList<>()));
    Map<String, Double> thisRound = new LinkedHashMap<>();
    long version = 0;
    for (int i = 1 - options.warmups(); i <= options.runs(); i++) {
      for (LiveJob job : jobs) {
        EngineRun run;
        Measurement m;
        long written = 0;
        if (!job.updatesWritten()) {
          run = new EngineRun(() -> enrich(t, job.securities(), bootstrap, discardSink(),
              job.refreshMs()), options.threads(), true, progress -> { }); // as the live runs report
          m = run.run();
        } else {
          try (KafkaLiveUpdates updates = new KafkaLiveUpdates(bootstrap, t.securities(),
              options.liveUpdates(), (int) options.referenceRows(), version)) {
            // the updates start once the table is built: the stream runs while they are applied
            run = new EngineRun(() -> enrich(t, job.securities(), bootstrap, discardSink(),
                job.refreshMs()), options.threads(), true, progress -> {
                  if (tableBuilt(progress)) updates.start();
                });
            m = run.run();
            written = updates.sent();
          }
          version += written;
        }
        OperatorSummary join = run.last().summary().operator("enrich_quotes");
        String label = String.format("%-16s %s", job.label(), i < 1 ? "warm-up" : "run " + i);
        out.println(m.format(label) + String.format("  updates written %,d, taken %,d in %,d "
                + "versions (%,d not yet taken when the stream ended), rejected %,d; %,d full "
                + "rebuilds (the first build too), %,d in the background (%,d ms); room %,d rows%s%s",
            written,
            join.detail("changelog_upserts"), join.detail("reference_versions"),
            join.detail("changelog_lag"),
            run.last().summary().operator("load_securities").detail("rejected"),
            join.detail("reference_rebuilds"), join.detail("reference_background_rebuilds"),
            join.detail("reference_background_rebuild_ms"), join.detail("reference_room"),
            join.details().containsKey("reference_rebuilt_because")
                ? "; last rebuilt because " + join.details().get("reference_rebuilt_because") : "",
            refresherCpu(join)));
        checkRun(run.last().summary(), expected, job.label() + " run " + i);
        if (job.updatesWritten() && written == 0) {
          throw new BenchmarkFailure(job.label() + " run " + i + ": no update was written while "
              + "it ran (the writer starts once the table is built): the run measured a static table");
        }
        boolean takesUpdates = job.updatesWritten() && job.securities().equals(t.securities());
        if (!takesUpdates && join.detail("changelog_upserts") != 0) {
          throw new BenchmarkFailure(job.label() + ": its table took " + join.detail("changelog_upserts")
              + " updates from " + job.securities() + ", to which nothing is written while it runs");
        }
        if (i >= 1) {
          runs.get(job.label()).add(m);
          thisRound.put(job.label(), m.rowsPerSecond());
          if (job.baseline() != null) {
            againstBaseline.get(job.label()).add(m.rowsPerSecond() / thisRound.get(job.baseline()));
          }
          if (job.control() != null) {
            againstControl.get(job.label()).add(m.rowsPerSecond() / thisRound.get(job.control()));
          }
        }
      }
    }
    Map<String, Double> medians = new LinkedHashMap<>();
    for (Map.Entry<String, List<Measurement>> e : runs.entrySet()) {
      Measurement median = Measurement.median(e.getValue());
      medians.put(e.getKey(), median.rowsPerSecond());
      out.println(median.format(String.format("%-16s median", e.getKey())));
    }
    StringBuilder result = new StringBuilder(String.format(Locale.ROOT,
        "RESULT_KAFKA_LIVE format=%s updates_per_s=%d", options.format().text(), options.liveUpdates()));
    for (LiveJob job : jobs) {
      double rate = medians.get(job.label());
      String key = (job.refreshMs() > 0 ? "refresh_" : "every_batch_")
          + (job.label().startsWith(STATIC) ? "static_" : job.label().startsWith(CONTROL) ? "control_" : "");
      result.append(String.format(Locale.ROOT, " %srows_per_s=%.0f", key, rate));
      if (job.baseline() != null) {
        double ratio = rate / medians.get(job.baseline());
        out.println(ratioLine(job.label(), job.baseline(), ratio, againstBaseline.get(job.label()))
            + (job.label().startsWith(CONTROL) ? " (what writing the updates costs this machine)"
            : " (goal at 100K/s: >= 0.80)"));
        result.append(String.format(Locale.ROOT, " %sratio=%.2f", key, ratio));
      }
      if (job.control() != null) {
        double ratio = rate / medians.get(job.control());
        out.println(ratioLine(job.label(), job.control(), ratio, againstControl.get(job.label()))
            + " (the engine's own cost of applying them)");
        result.append(String.format(Locale.ROOT, " %sratio_to_control=%.2f", key, ratio));
      }
    }
    out.println(result);
    out.flush();
  }

  /** "ratio A / B: medians, and run by run: median of the list". */
  private static String ratioLine(String a, String b, double ofMedians, List<Double> runByRun) {
    return String.format(Locale.ROOT, "ratio %s / %s: %.2f; run by run (each against the %s run "
            + "of its round): median %.2f of %s", a, b, ofMedians, b,
        Measurement.median(runByRun.stream().mapToDouble(Double::doubleValue).toArray()),
        runByRun.stream().map(r -> String.format(Locale.ROOT, "%.2f", r))
            .collect(Collectors.joining(", ")));
  }

  /** The refresher thread's CPU time, and per update taken ("" without a refresher). */
  private static String refresherCpu(OperatorSummary join) {
    if (!join.details().containsKey("reference_refresher_cpu_ms")) return "";
    long ms = join.detail("reference_refresher_cpu_ms");
    long updates = join.detail("changelog_upserts") + join.detail("changelog_deletes");
    return String.format(Locale.ROOT, "; refresher CPU %,d ms (%.2f us an update)", ms,
        updates == 0 ? 0.0 : ms * 1000.0 / updates);
  }

  /** Whether the job's reference table is built (then its stream starts). */
  private static boolean tableBuilt(ExecutionOptions.Progress progress) {
    for (ReferenceTableStatus table : progress.references()) {
      if (table.rows() > 0) return true;
    }
    return false;
  }

  /** Every quote read, every security in the table, the in-memory engine's row count. */
  private void checkRun(JobSummary s, long expected, String which) {
    OperatorSummary join = s.operator("enrich_quotes");
    List<String> problems = new ArrayList<>();
    if (s.streamRowsIn() != options.rows()) {
      problems.add("read " + s.streamRowsIn() + " quotes, not " + options.rows());
    }
    if (join.detail("changelog_keys") != options.referenceRows()) {
      problems.add("the reference table has " + join.detail("changelog_keys") + " keys, not "
          + options.referenceRows());
    }
    if (expected >= 0 && s.rowsOut() != expected) {
      problems.add("wrote " + s.rowsOut() + " rows; the in-memory engine writes " + expected);
    }
    if (!problems.isEmpty()) {
      throw new BenchmarkFailure(which + ": " + String.join("; ", problems) + "\n" + s.format());
    }
  }

  private static String references(EngineRun run) {
    OperatorSummary join = run.last().summary().operator("enrich_quotes");
    return String.format("  bootstrap %,d records, %,d keys", join.detail("bootstrap_records"),
        join.detail("changelog_keys"));
  }

  private JobGraph enrich(Topics t, String bootstrap, Map<String, Object> sink) {
    return enrich(t, t.securities(), bootstrap, sink, 0);
  }

  /**
   * The enrichment, its table read from the topic {@code securitiesTopic}; {@code refreshMs} > 0:
   * the join's reference_refresh_ms.
   */
  private JobGraph enrich(Topics t, String securitiesTopic, String bootstrap, Map<String, Object> sink,
                          long refreshMs) {
    Map<String, Object> quotes = new LinkedHashMap<>();
    quotes.put("kafka_topic", t.quotes());
    quotes.put("bootstrap_servers", bootstrap);
    quotes.put("format", options.format().text());
    quotes.put("schema", types(GeneratorSource.Kind.QUOTES.schema()));
    quotes.put("group_id", t.prefix() + "-run" + group.incrementAndGet());
    quotes.put("start", "earliest");
    quotes.put("bounded", true);
    quotes.put("batch_size", options.batchSize());
    Map<String, Object> securities = new LinkedHashMap<>();
    securities.put("kafka_topic", securitiesTopic);
    securities.put("bootstrap_servers", bootstrap);
    securities.put("format", "jsonl");
    securities.put("schema", types(GeneratorSource.Kind.SECURITIES.schema()));
    securities.put("batch_size", options.batchSize());
    Map<String, Object> join = new LinkedHashMap<>(Map.of("left_key", "instrumentId",
        "right_key", "ID", "join_type", "inner"));
    if (refreshMs > 0) join.put("reference_refresh_ms", refreshMs);
    return KafkaBenchJobs.enrich(quotes, securities, join, sink);
  }

  private static Map<String, Object> discardSink() {
    return Map.of("discard", true);
  }

  private static Map<String, Object> kafkaSink(String topic, Format format, String bootstrap, String key) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("kafka_topic", topic);
    p.put("bootstrap_servers", bootstrap);
    p.put("format", format.text());
    if (key != null) p.put("key", key);
    return p;
  }

  private static Map<String, String> types(Schema schema) {
    Map<String, String> types = new LinkedHashMap<>();
    for (Field f : schema.fields()) types.put(f.name(), f.type().jobName());
    return types;
  }

  /** The jobs: loading a topic from a generator, and the enrichment from the topics. */
  static final class KafkaBenchJobs {
    private KafkaBenchJobs() {}

    static JobGraph load(String name, Map<String, Object> generator, Map<String, Object> sink) {
      JobGraph g = new JobGraph("bench_kafka_" + name);
      g.addOperator(new StreamOperatorNode(OperatorType.SOURCE, "generate", generator));
      g.addOperator(new StreamOperatorNode(OperatorType.SINK, "topic", sink));
      g.connect("generate", "topic");
      return g;
    }

    /** BenchJobs.wellWritten with the sources (and maybe the sink) in Kafka. */
    static JobGraph enrich(Map<String, Object> quotes, Map<String, Object> securities,
                           Map<String, Object> join, Map<String, Object> sink) {
      return BenchJobs.enrichment("bench_kafka_enrichment", quotes, securities, join, sink);
    }
  }
}
