package io.sabot.exec;

import io.sabot.connect.BatchReader;
import io.sabot.connect.RestoreListener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * A live table built from the rows its feed restores, on a thread of its own while the feed goes
 * on opening (indexing those rows, reading the changes published since the snapshot). At a
 * restart, the table's build and the feed's open then overlap on two cores instead of following
 * each other:
 *
 * <pre>
 *   feed's open:  snapshot verified ─► index its rows ─► catch up ─► open
 *                        └─ restoring(version, rows) ─► this thread: rows ─► pipeline ─► table
 *   then:         take(feed.restoredVersion()) ─► the table, and the feed's changes since the
 *                 snapshot applied to it in place
 * </pre>
 *
 * What is built is a memory table ({@link io.sabot.reference.LiveTable}), or under a
 * state_backend that may use a store, what a {@link ReferenceLoad} made of the rows (a memory
 * table or a store, {@link LiveReferences}).
 *
 * <p>A table of another version than the one the feed ends up restored at (a restore that failed
 * after it verified), or whose build failed, is not used: the caller builds the table from the
 * feed's snapshot, as without this, and a failure the rows cause is raised by that build. Every
 * way out waits for a build under way (uninterruptibly: it is bounded) and closes what it built,
 * so that a failing or stopped job may close its allocator right after.
 */
final class TableRestore<T extends AutoCloseable> implements RestoreListener {
  /** Builds a table from rows, counting the rows it read into {@code rowsRead[0]}. */
  interface Build<T> {
    T build(BatchReader rows, long[] rowsRead) throws Exception;
  }

  private final String joinName;
  private final Build<T> build;
  private final long[] rowsRead = new long[1];
  private CompletableFuture<T> table;
  private String version;
  // set on the build's thread before it completes the future, read after it did
  private volatile long buildMillis = -1;
  private long waitMillis = -1;

  TableRestore(String joinName, Build<T> build) {
    this.joinName = joinName;
    this.build = build;
  }

  /** Takes the rows and starts building their table on a thread of its own. */
  @Override
  public void restoring(String version, Supplier<BatchReader> rows) {
    discard(); // told at most once; a second restore would replace the first
    BatchReader restored = rows.get();
    CompletableFuture<T> future = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      long t0 = System.nanoTime();
      try (restored) {
        T built = build.build(restored, rowsRead);
        buildMillis = (System.nanoTime() - t0) / 1_000_000;
        future.complete(built);
      } catch (Throwable e) {
        future.completeExceptionally(e);
      }
    }, "sabot-reference-restore-" + joinName);
    t.setDaemon(true);
    try {
      t.start();
    } catch (Throwable e) { // no thread: the rows are not built, the table is built after the open
      try {
        restored.close();
      } catch (Exception | Error closing) {
        e.addSuppressed(closing);
      }
      return;
    }
    this.table = future;
    this.version = version;
  }

  /**
   * The table built from the rows of {@code restoredVersion} (waiting for its build), or null:
   * nothing was restored, another version was (that table is closed), or the build failed (a
   * warning says why). {@code rowsRead[0]} is added the rows it read.
   *
   * @throws InterruptedException when interrupted while waiting: the table is closed first
   */
  T take(String restoredVersion, long[] rowsRead) throws InterruptedException {
    if (table == null) return null;
    if (restoredVersion == null || !restoredVersion.equals(version)) {
      discard();
      return null;
    }
    CompletableFuture<T> built = table;
    table = null;
    version = null;
    boolean interrupted = Thread.interrupted();
    long waitFrom = System.nanoTime();
    T t = awaitBuilt(built, interrupted);
    waitMillis = (System.nanoTime() - waitFrom) / 1_000_000;
    if (interrupted || Thread.currentThread().isInterrupted()) {
      close(t);
      Thread.interrupted();
      throw new InterruptedException("stopped while the reference table of " + joinName
          + " was built from its snapshot");
    }
    if (t != null) rowsRead[0] += this.rowsRead[0];
    return t;
  }

  /**
   * How long the table's build from the restored rows took, on its thread, and how long
   * {@link #take} then waited for it (the part of the build the feed's open did not cover); -1
   * each when no table was taken.
   */
  long buildMillis() {
    return waitMillis < 0 ? -1 : buildMillis;
  }

  long waitMillis() {
    return waitMillis;
  }

  /**
   * Waits for the build under way and closes what it built (the feed's open failed, or it
   * restored another version): once this returns nothing it built is left allocated.
   */
  void discard() {
    CompletableFuture<T> built = table;
    table = null;
    version = null;
    if (built == null) return;
    boolean interrupted = Thread.interrupted();
    T t = awaitBuilt(built, interrupted);
    close(t);
    if (interrupted) Thread.currentThread().interrupt();
  }

  /**
   * The table {@code built} completes with, waiting however often this thread is interrupted
   * (the flag is set again on return when it was, or {@code interrupted}); null when the build
   * failed, with a warning.
   */
  private T awaitBuilt(CompletableFuture<T> built, boolean interrupted) {
    try {
      while (true) {
        try {
          return built.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } catch (ExecutionException e) {
      System.err.println("WARNING: operator=" + joinName + " the reference table could not be "
          + "built from its restored snapshot (" + e.getCause() + "); it is built from the "
          + "changelog's rows once they are read");
      return null;
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /** Closes what a build made (a table, a store: their close throws nothing checked). */
  private static void close(AutoCloseable built) {
    if (built == null) return;
    try {
      built.close();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
