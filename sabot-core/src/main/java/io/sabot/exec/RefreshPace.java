package io.sabot.exec;

import io.sabot.graph.JoinSpec;
import io.sabot.plan.ReferenceBuild;

/**
 * When a live table takes the changes its changelog has: before every stream batch (the
 * default: a change the feed has when a batch is handed out is seen by that batch), or, with
 * {@code reference_refresh_ms: N}, at most once every N ms, so that a stream of many small
 * batches does not pay a table version per batch. For a table kept in a store, which takes its
 * changes on the reader thread (an in-memory table takes them on a {@link LiveRefresher}).
 */
final class RefreshPace {
  private final long intervalNanos;
  private long last;

  RefreshPace(ReferenceBuild build) {
    this.intervalNanos = build.join().spec(JoinSpec.class).state().refreshMillis() * 1_000_000L;
    this.last = System.nanoTime() - intervalNanos;
  }

  /** Whether the changes are to be taken now (and then the next time is counted from now). */
  boolean due() {
    if (intervalNanos == 0) return true;
    long now = System.nanoTime();
    if (now - last < intervalNanos) return false;
    last = now;
    return true;
  }
}
