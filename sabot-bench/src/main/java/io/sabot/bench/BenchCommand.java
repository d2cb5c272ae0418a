package io.sabot.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code sabot bench}: the end-to-end benchmark of {@code docs/workload.md}, through the same
 * code path as {@code sabot run}, against a plain HashMap enrichment and a hand-written columnar
 * loop doing the same output work; or, with
 * {@code --compare-optimizer}, a badly written job with and without the optimizer. The report goes
 * to stdout and ends with a {@code RESULT} line. Exit codes: 0, 1 when the benchmark failed (the
 * systems disagree, or the engine failed), 2 for bad options.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Benchmark the engine on the workload of docs/workload.md (quotes joined with "
        + "securities, filtered to price > 100) against a plain HashMap enrichment and a "
        + "hand-written columnar loop over plain arrays, in the same process. The loop does the "
        + "sink's output work: filter+probe for discard; for batches and devnull, the 7 output "
        + "columns gathered into arrays for the whole result, and (second figure) into reused "
        + "4,096-row buffers. Data is generated (and files written) before anything is timed; "
        + "the rate is N / wall time of the join stage, median of the timed runs after warm-up.",
        "Ends with: RESULT rows_per_s=<median> out=<rows> ratio_vs_hashmap=<x> ratio_vs_loop=<x> "
            + "ratio_vs_streaming_loop=<x or n/a>"})
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--rows", paramLabel = "N", converter = CountConverter.class,
      description = "quotes (the stream); 1000000, 1_000_000 or 1M (default: 1M)")
  long rows = 1_000_000;

  @Option(names = "--reference-rows", paramLabel = "R", converter = CountConverter.class,
      description = "securities (the reference table) (default: 10K)")
  long referenceRows = 10_000;

  @Option(names = "--threads", paramLabel = "T",
      description = "engine worker threads and baseline parallelism (default: all cores, ${DEFAULT-VALUE})")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--format", paramLabel = "F",
      description = "memory (Arrow batches registered in memory), csv, jsonl or arrow (files, "
          + "decode timed) (default: ${DEFAULT-VALUE})")
  String format = "memory";

  @Option(names = "--join", paramLabel = "J", description = "inner or left (default: ${DEFAULT-VALUE})")
  String join = "inner";

  @Option(names = "--sink", paramLabel = "S",
      description = "discard (count rows; no output batches are built), batches (build every "
          + "output batch, all 7 columns, then drop it) or devnull (build output batches, write "
          + "them as Arrow IPC to /dev/null) (default: ${DEFAULT-VALUE})")
  String sink = "discard";

  @Option(names = "--strings", paramLabel = "L",
      description = "plain (copy the securities' string bytes into every output batch) or "
          + "dictionary (batches and devnull: the sinks' strings: dictionary; reference string "
          + "columns as indexes into the securities' columns) (default: ${DEFAULT-VALUE})")
  String strings = "plain";

  /** How the output carries the securities' strings. */
  enum Strings { PLAIN, DICTIONARY }

  @Option(names = "--state-backend", paramLabel = "B",
      description = "where the join keeps the securities: memory, rocksdb or auto "
          + "(default: ${DEFAULT-VALUE})")
  String stateBackend = "memory";

  /** The join's state_backend values. */
  enum StateBackend { MEMORY, ROCKSDB, AUTO }

  @Option(names = {"--warmup", "--warmups"}, paramLabel = "W", description = "untimed runs first (default: ${DEFAULT-VALUE})")
  int warmups = 2;

  @Option(names = "--runs", paramLabel = "K", description = "timed runs (default: ${DEFAULT-VALUE})")
  int runs = 5;

  @Option(names = "--batch-size", paramLabel = "B", description = "rows per batch (default: ${DEFAULT-VALUE})")
  int batchSize = 8192;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "where csv, jsonl and arrow files are written once and reused (default: "
          + "<java.io.tmpdir>/sabot-bench)")
  Path dataDir = Path.of(System.getProperty("java.io.tmpdir"), "sabot-bench");

  @Option(names = "--files", paramLabel = "K",
      description = "csv, jsonl and arrow: write the quotes as K files of about N/K rows each "
          + "(contiguous slices, in order) in a folder quotes-<N>-<R>-<B>-<K>files.<ext> that the "
          + "engine's source reads, decoding the files in parallel (one reader per file, up to "
          + "--threads); the securities stay one file, the baselines read memory as always. Must "
          + "be 1 with --format memory (default: ${DEFAULT-VALUE})")
  int files = 1;

  @Option(names = "--no-baseline", description = "skip both baselines, HashMap and columnar loop "
      + "(for inputs too big for Java objects or arrays in this heap)")
  boolean noBaseline;

  @Option(names = "--compare-optimizer", description = "run a badly written version of the query "
      + "with and without the optimizer instead")
  boolean compareOptimizer;

  @Option(names = "--live-updates", paramLabel = "RATE", converter = CountConverter.class,
      description = "issue 12's live-table benchmark instead: the securities from a live generator "
          + "applying RATE updates/s (10K, 100K; 0 = none) to NAME, SECTOR and CUSIP, polled "
          + "before each stream batch; runs the plain static job, the live job without updates and "
          + "(RATE > 0) with them, interleaved; no baselines. Ends with: RESULT rows_per_s=<live "
          + "RATE median> ... ratio_vs_live0=<x> ratio_vs_static=<x>. With --state-backend, the "
          + "static and the live tables are kept in that backend")
  Long liveUpdates;

  @Option(names = "--reference-refresh-ms", paramLabel = "MS", description = "with --live-updates: "
      + "also run the live RATE job with the join's reference_refresh_ms set to MS (changes taken "
      + "at most once every MS ms instead of before every stream batch); RESULT then gives its "
      + "figures")
  long referenceRefreshMs;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    BenchOptions options;
    try {
      options = new BenchOptions(rows, referenceRows, threads,
          parse(BenchOptions.Format.class, "--format", format),
          "left".equalsIgnoreCase(join) || "left_outer".equalsIgnoreCase(join)
              || "left outer".equalsIgnoreCase(join) ? BenchOptions.Join.LEFT
              : parse(BenchOptions.Join.class, "--join", join),
          parse(BenchOptions.Output.class, "--sink", sink), warmups, runs, batchSize, dataDir,
          !noBaseline, files, parse(Strings.class, "--strings", strings) == Strings.DICTIONARY,
          parse(StateBackend.class, "--state-backend", stateBackend).name().toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (referenceRefreshMs < 0 || (referenceRefreshMs > 0 && liveUpdates == null)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--reference-refresh-ms takes "
          + "a number of milliseconds >= 0, and only with --live-updates");
    }
    if (liveUpdates != null && compareOptimizer) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--live-updates cannot be "
          + "combined with --compare-optimizer");
    }
    PrintStream out = System.out;
    try {
      if (liveUpdates != null) {
        new LiveUpdatesBenchmark(options, liveUpdates, referenceRefreshMs, out).run();
      } else if (compareOptimizer) {
        new OptimizerComparison(options, out).run();
      } else {
        new BenchmarkRunner(options, out).run();
      }
    } catch (BenchmarkFailure e) {
      out.flush();
      spec.commandLine().getErr().println("Benchmark failed: " + e.getMessage());
      return 1;
    }
    return 0;
  }

  private <E extends Enum<E>> E parse(Class<E> type, String option, String value) {
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StringBuilder accepted = new StringBuilder();
      for (E c : type.getEnumConstants()) {
        if (accepted.length() > 0) accepted.append(", ");
        accepted.append(c.name().toLowerCase(Locale.ROOT));
      }
      throw new IllegalArgumentException(option + " value=" + value + " is not supported; use "
          + accepted);
    }
  }

  /** 1000000, 1_000_000, 10K, 1M, 2G. */
  static final class CountConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      String v = value.trim().replace("_", "").toUpperCase(Locale.ROOT);
      long unit = 1;
      if (v.endsWith("K")) unit = 1_000;
      if (v.endsWith("M")) unit = 1_000_000;
      if (v.endsWith("G")) unit = 1_000_000_000;
      if (unit > 1) v = v.substring(0, v.length() - 1);
      try {
        return Math.multiplyExact(Long.parseLong(v), unit);
      } catch (NumberFormatException | ArithmeticException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a row count; use "
            + "e.g. 1000000, 1_000_000 or 1M");
      }
    }
  }
}
