package io.sabot.exec;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One bounded queue per partition, taken from in partition order: readers of different
 * partitions fill their queues at the same time, and the one consumer takes everything of
 * partition 0, then of partition 1, and so on, so the output keeps the order of a single reader
 * (the order a reference table's {@code on_duplicate: last} depends on).
 *
 * <pre>
 *   reader A: p0 ─► [q0] ┐
 *   reader B: p1 ─► [q1] ┼─► consumer: q0 until p0 ends, then q1, then q2 ...
 *   reader A: p2 ─► [q2] ┘   (a reader ahead of the consumer waits for room in its queue)
 * </pre>
 *
 * Every partition a reader claims gets {@link #endPartition}; when the readers are done, the
 * last one calls {@link #endAll} with the first partition nobody claimed.
 *
 * @param <T> what travels (a future of an output batch)
 */
final class OrderedQueues<T> {
  private final BlockingQueue<Object>[] queues;
  private final Object partitionEnd = new Object();
  private final Object allEnd = new Object();
  private int current;

  @SuppressWarnings("unchecked")
  OrderedQueues(int partitions, int capacityPerPartition) {
    queues = new BlockingQueue[partitions + 1];
    for (int i = 0; i < queues.length; i++) queues[i] = new LinkedBlockingQueue<>(capacityPerPartition);
  }

  /** Adds to partition {@code p}'s queue, waiting for room; an interrupt does not drop it. */
  void put(int p, T item) {
    putQuietly(queues[p], item);
  }

  /** Partition {@code p} has nothing more. */
  void endPartition(int p) {
    putQuietly(queues[p], partitionEnd);
  }

  /** No partition from {@code firstUnclaimed} on will be read: the consumer's end. */
  void endAll(int firstUnclaimed) {
    putQuietly(queues[Math.min(firstUnclaimed, queues.length - 1)], allEnd);
  }

  /**
   * The next item in partition order; null when none came within {@code millis}; {@code end}
   * once every partition is done.
   */
  T poll(long millis, T end) throws InterruptedException {
    while (true) {
      Object o = queues[current].poll(millis, TimeUnit.MILLISECONDS);
      if (o == null) return null;
      if (o == partitionEnd) {
        current++;
        continue;
      }
      if (o == allEnd) return end;
      @SuppressWarnings("unchecked")
      T item = (T) o;
      return item;
    }
  }

  /**
   * After a failure: hands every item still queued, in any partition, to {@code discard} until
   * the end is seen, or until the readers are gone ({@code readersAlive} false) and nothing is
   * left. Readers waiting for room are freed as their queues empty. The end comes after every
   * item was put, but a pass may have looked at a partition before a reader put its last item
   * there: so once the end is seen, one more pass takes what is left everywhere.
   */
  void drain(BooleanSupplier readersAlive, Consumer<T> discard) {
    boolean interrupted = Thread.interrupted();
    try {
      while (true) {
        boolean found = false;
        boolean ended = false;
        for (int p = current; p < queues.length; p++) {
          Object o;
          while ((o = queues[p].poll()) != null) {
            if (o == allEnd) {
              ended = true;
              continue;
            }
            if (o == partitionEnd) continue;
            found = true;
            @SuppressWarnings("unchecked")
            T item = (T) o;
            discard.accept(item);
          }
        }
        if (ended) {
          discardRest(discard); // nothing is put after the end: this pass is the last
          return;
        }
        if (!found) {
          if (!readersAlive.getAsBoolean() && isEmpty()) return;
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  private void discardRest(Consumer<T> discard) {
    for (int p = current; p < queues.length; p++) {
      Object o;
      while ((o = queues[p].poll()) != null) {
        if (o == allEnd || o == partitionEnd) continue;
        @SuppressWarnings("unchecked")
        T item = (T) o;
        discard.accept(item);
      }
    }
  }

  private boolean isEmpty() {
    for (int p = current; p < queues.length; p++) if (!queues[p].isEmpty()) return false;
    return true;
  }

  /**
   * Puts even when this thread is interrupted to stop, before or while waiting for room (keeping
   * the interrupt status): a dropped item would leave its batches unclosed. Room always comes:
   * the consumer, or {@link #drain}, takes every item.
   */
  private static void putQuietly(BlockingQueue<Object> q, Object item) {
    boolean interrupted = Thread.interrupted();
    try {
      while (true) {
        try {
          q.put(item);
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }
}
