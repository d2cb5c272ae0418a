package io.sabot.bench;

import java.nio.file.Path;
import java.util.Locale;

/**
 * What {@code sabot bench} runs: the workload of docs/workload.md (N quotes, R
 * securities), how the quotes reach the engine, the join type, where the output goes, and how
 * many runs are made.
 *
 * @param rows          N, the quotes
 * @param referenceRows R, the securities
 * @param threads       worker threads of the engine, and parallelism of the HashMap baseline
 * @param format        memory: registered Arrow batches; csv, jsonl, arrow: files (decode timed)
 * @param join          inner, or left outer (unmatched quotes kept)
 * @param sink          discard: rows counted (the engine builds no output batches);
 *                      batches: every output batch built in full (all 7 columns), then dropped;
 *                      devnull: output batches built and written as Arrow IPC to /dev/null
 * @param warmups       untimed runs before the timed ones
 * @param runs          timed runs (the report gives each and their median)
 * @param batchSize     rows per batch, generated and read
 * @param dataDir       where the files of csv, jsonl and arrow are written once and reused
 * @param baseline      whether to run the baselines, HashMap and columnar loop (and check the
 *                      row counts)
 * @param files         K, the files the quotes are written as (csv, jsonl, arrow): 1, one file;
 *                      more, a folder of K files of about N / K rows each, contiguous slices of
 *                      the generated quotes in order, which the engine decodes in parallel (one
 *                      reader per file, up to the threads); must be 1 for memory
 * @param dictionaryStrings {@code --strings dictionary} (batches and devnull): the output's
 *                      reference string columns dictionary-encoded, indexes into the
 *                      securities table's columns (the sinks' {@code strings: dictionary});
 *                      false: the bytes are copied into every batch, as the loop does
 */
public record BenchOptions(long rows, long referenceRows, int threads, Format format, Join join,
                           Output sink, int warmups, int runs, int batchSize, Path dataDir,
                           boolean baseline, int files, boolean dictionaryStrings,
                           String stateBackend) {

  /** How the quotes and securities reach the engine. */
  public enum Format {
    MEMORY, CSV, JSONL, ARROW;

    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The join of docs/workload.md's query. */
  public enum Join {
    INNER("inner"), LEFT("left");

    private final String jobText;

    Join(String jobText) {
      this.jobText = jobText;
    }

    /** The job file's {@code join_type}. */
    public String jobText() {
      return jobText;
    }
  }

  /**
   * Where the enriched rows go: DISCARD counts them (no output batch is built), BATCHES builds
   * every output batch and drops it ({@code discard: true, materialize: true}), DEVNULL builds
   * them and writes them as Arrow IPC to /dev/null.
   */
  public enum Output {
    DISCARD, BATCHES, DEVNULL;

    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public BenchOptions {
    if (rows < 1) throw new IllegalArgumentException("rows must be at least 1, not " + rows);
    if (referenceRows < 1) {
      throw new IllegalArgumentException("reference rows must be at least 1, not " + referenceRows);
    }
    if (referenceRows > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("reference rows must fit one Arrow batch (at most "
          + Integer.MAX_VALUE + "), not " + referenceRows);
    }
    if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, not " + threads);
    if (warmups < 0) throw new IllegalArgumentException("warm-up runs must be >= 0, not " + warmups);
    if (runs < 1) throw new IllegalArgumentException("runs must be at least 1, not " + runs);
    if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
    if (files < 1) throw new IllegalArgumentException("files must be at least 1, not " + files);
    if (files > 1 && format == Format.MEMORY) {
      throw new IllegalArgumentException("--files " + files + " needs --format csv, jsonl or "
          + "arrow: --format memory reads the generated batches from memory, not from files");
    }
    if (dictionaryStrings && sink == Output.DISCARD) {
      throw new IllegalArgumentException("--strings dictionary needs --sink batches or devnull: "
          + "with discard no output is built");
    }
    if (files > rows) {
      throw new IllegalArgumentException("files must be at most the rows (" + rows + "), so that "
          + "no file is empty, not " + files);
    }
  }

  /** The defaults of {@code sabot bench}: 1M quotes, 10K securities, all cores, in memory. */
  public static BenchOptions defaults() {
    return new BenchOptions(1_000_000, 10_000, Runtime.getRuntime().availableProcessors(),
        Format.MEMORY, Join.INNER, Output.DISCARD, 2, 5, 8192,
        Path.of(System.getProperty("java.io.tmpdir"), "sabot-bench"), true, 1, false, "memory");
  }

  public BenchOptions withSize(long n, long r) {
    return new BenchOptions(n, r, threads, format, join, sink, warmups, runs, batchSize, dataDir, baseline, files, dictionaryStrings, stateBackend);
  }

  public BenchOptions withThreads(int t) {
    return new BenchOptions(rows, referenceRows, t, format, join, sink, warmups, runs, batchSize, dataDir, baseline, files, dictionaryStrings, stateBackend);
  }

  public BenchOptions withFormat(Format f, Path dir) {
    return new BenchOptions(rows, referenceRows, threads, f, join, sink, warmups, runs, batchSize, dir, baseline, files, dictionaryStrings, stateBackend);
  }

  public BenchOptions withJoin(Join j) {
    return new BenchOptions(rows, referenceRows, threads, format, j, sink, warmups, runs, batchSize, dataDir, baseline, files, dictionaryStrings, stateBackend);
  }

  public BenchOptions withSink(Output o) {
    return new BenchOptions(rows, referenceRows, threads, format, join, o, warmups, runs, batchSize, dataDir, baseline, files, dictionaryStrings, stateBackend);
  }

  public BenchOptions withRuns(int w, int r) {
    return new BenchOptions(rows, referenceRows, threads, format, join, sink, w, r, batchSize, dataDir, baseline, files, dictionaryStrings, stateBackend);
  }

  public BenchOptions withBaseline(boolean b) {
    return new BenchOptions(rows, referenceRows, threads, format, join, sink, warmups, runs, batchSize, dataDir, b, files, dictionaryStrings, stateBackend);
  }

  /** K files of quotes (must be 1 for memory, so set the format first). */
  public BenchOptions withFiles(int k) {
    return new BenchOptions(rows, referenceRows, threads, format, join, sink, warmups, runs, batchSize, dataDir, baseline, k, dictionaryStrings, stateBackend);
  }

  /** The join's state_backend: memory, rocksdb or auto. */
  public BenchOptions withStateBackend(String backend) {
    return new BenchOptions(rows, referenceRows, threads, format, join, sink, warmups, runs, batchSize, dataDir, baseline, files, dictionaryStrings, backend);
  }

  /** One line for the report header. */
  public String describe() {
    return String.format("N=%,d quotes, R=%,d securities, %d thread%s, format %s%s, %s join, "
            + "sink %s%s, batch %,d rows, %d warm-up + %d timed runs%s", rows, referenceRows, threads,
        threads == 1 ? "" : "s", format.text(), files == 1 ? "" : " (quotes as " + files + " files)",
        join.jobText(), sink.text(), dictionaryStrings ? " (strings: dictionary)" : "", batchSize,
        warmups, runs, "memory".equals(stateBackend) ? "" : ", state_backend " + stateBackend);
  }
}
