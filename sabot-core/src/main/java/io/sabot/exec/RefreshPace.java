package io.sabot.exec;

import io.sabot.graph.JoinSpec;
import io.sabot.plan.ReferenceBuild;

/**
 * When a live table takes the changes its changelog has: before every stream batch (the
 * default: a change the feed has when a batch is handed out is seen by that batch), or, with
 * {@code reference_refresh_ms: N}, at most once every N ms, so that a stream of many small
 * batches does not pay a table version per batch. An in-memory table then takes them on a
 * thread of its own ({@link LiveRefresher}); a table kept in a store takes them on the reader
 * thread, at most once every N ms, by this pace.
 */
final class RefreshPace {
  private final long intervalMillis;
  private final long intervalNanos;
  private long last;

  RefreshPace(ReferenceBuild build) {
    this.intervalMillis = build.join().spec(JoinSpec.class).state().refreshMillis();
    this.intervalNanos = intervalMillis * 1_000_000L;
    this.last = System.nanoTime() - intervalNanos;
  }

  /** The interval, ms: 0 when the changes are taken before every batch. */
  long intervalMillis() {
    return intervalMillis;
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
