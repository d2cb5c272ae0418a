package io.sabot.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code sabot bench-kafka}: the workload of docs/workload.md with the quotes and the
 * securities in Kafka topics ({@link KafkaBenchmark}). Exit codes: 0, 1 when the benchmark failed
 * (a run wrote other rows than the in-memory engine, the broker failed), 2 for bad options.
 */
@Command(name = "bench-kafka", mixinStandardHelpOptions = true,
    description = {"Benchmark the engine on the workload of docs/workload.md with both inputs in "
        + "Kafka: the quotes topic (4 partitions) enriched with the securities reference table "
        + "bootstrapped from a compacted topic. Without --bootstrap a single-node broker is started "
        + "on 127.0.0.1 in a child JVM (temporary folder) and stopped at the end. The topics are "
        + "loaded by the engine (generator source, kafka sink; not timed); then each timed run "
        + "reads the whole quotes topic with a fresh consumer group (start: earliest, bounded: "
        + "true) into a discard sink, and one more run writes to an output topic (end to end). The "
        + "rate is N / wall time of the stream stage (after the reference table is built), "
        + "median of the timed runs; the output rows are checked against the in-memory engine.",
        "Ends with: RESULT_KAFKA format=<f> rows_per_s=<median> out=<rows> bootstrap_ms=<median>"})
public final class KafkaBenchCommand implements Callable<Integer> {
  @Option(names = "--rows", paramLabel = "N", converter = BenchCommand.CountConverter.class,
      description = "quotes (the stream); 1000000, 1_000_000 or 1M (default: 1M)")
  long rows = 1_000_000;

  @Option(names = "--reference-rows", paramLabel = "R", converter = BenchCommand.CountConverter.class,
      description = "securities (the reference table, a compacted topic) (default: 10K)")
  long referenceRows = 10_000;

  @Option(names = "--format", paramLabel = "F",
      description = "how quotes and enriched rows are encoded in their topics: jsonl (a record "
          + "per row) or arrow (a record per batch) (default: ${DEFAULT-VALUE}); the securities "
          + "topic is always jsonl, a record per security keyed by ID")
  String format = "jsonl";

  @Option(names = "--threads", paramLabel = "T",
      description = "engine worker threads (default: all cores, ${DEFAULT-VALUE})")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
      description = "use this broker (topics named sabot-bench-<id>-*, deleted at the end) "
          + "instead of starting one")
  String bootstrap;

  @Option(names = "--runs", paramLabel = "K", description = "timed runs (default: ${DEFAULT-VALUE})")
  int runs = 3;

  @Option(names = "--warmup", paramLabel = "W", description = "untimed runs first (default: ${DEFAULT-VALUE})")
  int warmups = 0;

  @Option(names = "--batch-size", paramLabel = "B", description = "rows per batch (default: ${DEFAULT-VALUE})")
  int batchSize = 8192;

  @Option(names = "--no-kafka-sink", description = "skip the run that writes to an output topic")
  boolean noKafkaSink;

  @Option(names = "--no-check", description = "skip the in-memory run that gives the expected row count")
  boolean noCheck;

  @Option(names = "--live-updates", paramLabel = "RATE", converter = BenchCommand.CountConverter.class,
      description = "instead of the usual runs: the table while RATE updates/s are written to the "
          + "securities topic (10K, 100K) against the static table taking changes the same way "
          + "(docs/workload.md); ends with RESULT_KAFKA_LIVE")
  long liveUpdates;

  @Option(names = "--reference-refresh-ms", paramLabel = "MS", description = "with --live-updates: "
      + "also run the static, control and live jobs with the join's reference_refresh_ms set to MS")
  long referenceRefreshMs;

  @Option(names = "--no-every-batch", description = "with --reference-refresh-ms: skip the static "
      + "and live jobs that take changes before every batch (at 100K updates/s the live one runs "
      + "ten times as long and writes millions of updates, which the later runs' table builds "
      + "read again)")
  boolean noEveryBatch;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    KafkaBenchmark.Options options;
    try {
      options = new KafkaBenchmark.Options(rows, referenceRows, parseFormat(format), threads,
          bootstrap == null || bootstrap.isBlank() ? null : bootstrap.trim(), warmups, runs,
          batchSize, !noKafkaSink, !noCheck, liveUpdates, referenceRefreshMs, !noEveryBatch);
      if (referenceRefreshMs > 0 && liveUpdates == 0) {
        throw new IllegalArgumentException("--reference-refresh-ms is only for --live-updates");
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintStream out = System.out;
    try {
      new KafkaBenchmark(options, out).run();
    } catch (BenchmarkFailure | IOException e) {
      out.flush();
      spec.commandLine().getErr().println("Benchmark failed: " + e.getMessage());
      return 1;
    }
    return 0;
  }

  static KafkaBenchmark.Format parseFormat(String value) {
    try {
      return KafkaBenchmark.Format.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--format value=" + value + " is not supported; use "
          + "jsonl, arrow");
    }
  }
}
