package io.sabot.exec;

import io.sabot.reference.LiveTable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A live table rebuilt on a thread of its own, from the current table's rows as of the version
 * current when its room was half used ({@code LiveTable.compact}), while the changes go on being
 * applied to the current table in place. Those
 * changes are kept and applied again to the new table before it takes over, so it takes over
 * exactly where the current one is, and the stream never waits for a whole table to be built
 * (unless the current table's room runs out first).
 *
 * <pre>
 *   reader thread:  apply step k ─► start ─┐   apply k+1 (kept) ─► apply k+2 (kept) ─► finish: take over
 *   rebuild thread:                        └─► compact version k ───────────────────┘   (k+1, k+2 applied to it)
 * </pre>
 */
final class BackgroundRebuild implements AutoCloseable {
  private static final Object ABANDONED = new Object();

  private final List<VectorSchemaRoot[]> steps = new ArrayList<>();
  /** The table built (handed over once), or ABANDONED: whoever comes second closes the table. */
  private final AtomicReference<Object> built = new AtomicReference<>();
  private Future<?> done;
  private long buildNanos;

  private BackgroundRebuild() {}

  /**
   * Starts {@code build} on {@code executor}; {@code discard} releases what the build would
   * have read, when it is abandoned before it starts.
   */
  static BackgroundRebuild start(ExecutorService executor, Callable<LiveTable> build,
                                 Runnable discard) {
    BackgroundRebuild r = new BackgroundRebuild();
    r.done = executor.submit(() -> {
      if (r.built.get() == ABANDONED) {
        discard.run();
        return null;
      }
      long t0 = System.nanoTime();
      LiveTable t = build.call();
      r.buildNanos = System.nanoTime() - t0; // read after done.get(): seen
      if (!r.built.compareAndSet(null, t)) t.close();
      return null;
    });
    return r;
  }

  /** Keeps one step applied to the current table since the version compacted (takes both batches). */
  void keep(VectorSchemaRoot removed, VectorSchemaRoot added) {
    steps.add(new VectorSchemaRoot[] {removed, added});
  }

  /** How long the build took on its thread (once {@link #finish} returned a table). */
  long buildNanos() {
    return buildNanos;
  }

  boolean isDone() {
    return done.isDone();
  }

  /**
   * Waits for the new table and applies the kept steps to it; null when one cannot be applied in
   * place (then the current table stays, and the new one is closed).
   */
  LiveTable finish() throws Exception {
    LiveTable t;
    try {
      done.get();
      t = (LiveTable) built.getAndSet(ABANDONED);
    } catch (ExecutionException e) {
      closeSteps();
      if (e.getCause() instanceof Exception) throw (Exception) e.getCause();
      throw e;
    }
    try {
      for (VectorSchemaRoot[] step : steps) {
        if (!t.apply(step[0], step[1])) {
          t.close();
          return null;
        }
      }
      return t;
    } catch (RuntimeException | Error e) {
      t.close();
      throw e;
    } finally {
      closeSteps();
    }
  }

  private void closeSteps() {
    for (VectorSchemaRoot[] step : steps) {
      step[0].close();
      step[1].close();
    }
    steps.clear();
  }

  /**
   * Abandons the rebuild and closes what it kept and built. Waits for a rebuild still running to
   * end (it then closes its own table), so that no table outlives the job's allocator.
   */
  @Override
  public void close() {
    closeSteps();
    Object t = built.getAndSet(ABANDONED);
    if (t instanceof LiveTable) {
      ((LiveTable) t).close();
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        done.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // a stopped job still waits: the table must be closed before the allocator
      } catch (ExecutionException e) {
        break; // it failed: nothing was built
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }
}
