package io.sabot.exec;

import io.sabot.connect.ReadStatus;
import io.sabot.reference.ReferenceTableStatus;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * How the local executor runs a job.
 *
 * @param threads       worker threads for the pipelines (default: all cores)
 * @param memoryLimit   bytes the job's Arrow allocator may hold at once
 * @param progress      called about every {@code progressEvery} while a job runs (null: none)
 * @param progressEvery how often to report progress
 * @param stop          a job run with these options stops cleanly when this is requested
 */
public record ExecutionOptions(int threads, long memoryLimit, Consumer<Progress> progress,
                               Duration progressEvery, StopSignal stop) {

  public static ExecutionOptions defaults() {
    return new ExecutionOptions(Runtime.getRuntime().availableProcessors(),
        Math.max(1L << 30, Runtime.getRuntime().maxMemory()), null, Duration.ofSeconds(1),
        new StopSignal());
  }

  public ExecutionOptions withThreads(int n) {
    if (n < 1) throw new IllegalArgumentException("threads must be at least 1, not " + n);
    return new ExecutionOptions(n, memoryLimit, progress, progressEvery, stop);
  }

  public ExecutionOptions withMemoryLimit(long bytes) {
    return new ExecutionOptions(threads, bytes, progress, progressEvery, stop);
  }

  public ExecutionOptions withProgress(Consumer<Progress> listener) {
    return new ExecutionOptions(threads, memoryLimit, listener, progressEvery, stop);
  }

  /** Options whose jobs stop cleanly when {@code signal} is requested. */
  public ExecutionOptions withStop(StopSignal signal) {
    return new ExecutionOptions(threads, memoryLimit, progress, progressEvery, signal);
  }

  /**
   * A moment of a running job: stream rows read and written so far, and the join match rate;
   * what each operator of the stream pipeline did so far ({@code operators}: rows in and out,
   * the source's rejected records, the sink's rows written durably as its rows out); where the
   * stream's reader stands ({@code stream}: its partitions and lag); the reference tables the
   * stream probes, as they are now.
   */
  public record Progress(double elapsedSeconds, long rowsIn, long rowsOut, double matchRate,
                         List<OperatorSummary> operators, ReadStatus.Snapshot stream,
                         List<ReferenceTableStatus> references) {
    public Progress {
      operators = List.copyOf(operators);
      references = List.copyOf(references);
    }

    public Progress(double elapsedSeconds, long rowsIn, long rowsOut, double matchRate) {
      this(elapsedSeconds, rowsIn, rowsOut, matchRate, List.of(), ReadStatus.Snapshot.NONE,
          List.of());
    }

    public String format() {
      return String.format("progress: %.1f s, %,d rows in, %,d rows out, %,.0f rows/s%s",
          elapsedSeconds, rowsIn, rowsOut, elapsedSeconds > 0 ? rowsIn / elapsedSeconds : 0.0,
          Double.isNaN(matchRate) ? "" : String.format(", join match %.1f%%", matchRate * 100));
    }
  }
}
