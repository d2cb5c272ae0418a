package io.sabot.exec;

import io.sabot.connect.BatchReader;
import io.sabot.connect.RestoreListener;
import io.sabot.reference.LiveTable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

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
 *                 snapshot applied to it in place (as any later changes are)
 * </pre>
 *
 * A table of another version than the one the feed ends up restored at (a restore that failed
 * after it verified), or whose build failed, is not used: the caller builds the table from the
 * feed's snapshot, as without this, and a failure the rows cause is raised by that build.
 */
final class TableRestore implements RestoreListener {
  /** Builds a table from rows, counting the rows it read into {@code rowsRead[0]}. */
  interface Build {
    LiveTable build(BatchReader rows, long[] rowsRead) throws Exception;
  }

  private final String joinName;
  private final Build build;
  private final long[] rowsRead = new long[1];
  private CompletableFuture<LiveTable> table;
  private String version;

  TableRestore(String joinName, Build build) {
    this.joinName = joinName;
    this.build = build;
  }

  /** Starts building the table of {@code rows} (closed by the build) on a thread of its own. */
  @Override
  public void restoring(String version, BatchReader rows) {
    discard(); // told at most once; a second restore replaces the first
    CompletableFuture<LiveTable> future = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try (rows) {
        future.complete(build.build(rows, rowsRead));
      } catch (Throwable e) {
        future.completeExceptionally(e);
      }
    }, "sabot-reference-restore-" + joinName);
    t.setDaemon(true);
    this.table = future;
    this.version = version;
    t.start();
  }

  /**
   * The table built from the rows of {@code restoredVersion} (waiting for its build), or null:
   * nothing was restored, another version was (that table is closed), or the build failed.
   * {@code rowsRead[0]} is added the rows it read.
   */
  LiveTable take(String restoredVersion, long[] rowsRead) throws InterruptedException {
    if (table == null) return null;
    if (restoredVersion == null || !restoredVersion.equals(version)) {
      discard();
      return null;
    }
    CompletableFuture<LiveTable> built = table;
    table = null;
    try {
      LiveTable t = built.get();
      rowsRead[0] += this.rowsRead[0];
      return t;
    } catch (ExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      closeWhenBuilt(built);
      throw e;
    }
  }

  /**
   * Waits for the build and closes what it built (the feed's open failed, or it restored another
   * version): once this returns nothing it built is left allocated, so the job's allocator may be
   * closed right after, as a failing job does.
   */
  void discard() {
    CompletableFuture<LiveTable> built = table;
    table = null;
    version = null;
    if (built == null) return;
    try {
      LiveTable t = built.get();
      if (t != null) t.close();
    } catch (ExecutionException e) {
      // nothing was built
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeWhenBuilt(built);
    }
  }

  private static void closeWhenBuilt(CompletableFuture<LiveTable> built) {
    built.whenComplete((t, failure) -> {
      if (t != null) t.close();
    });
  }
}
