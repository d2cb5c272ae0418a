package io.sabot.connect;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * The partitions of a stream that this process reads now, by number: written by the stream's
 * reader (all of them, or its consumer group's share as the group moves partitions), read by
 * the reference feeds of its co-partitioned joins, which read the reference partitions of the
 * same numbers.
 *
 * <pre>
 *   stream reader: assigned {0, 2} ─► add ─┐
 *                  revoked  {2}    ─► remove ─► owned = {0} ◄── now() ── feed, before each batch
 * </pre>
 *
 * The reader adds a partition before it hands out a batch of it, and the executor has the feeds
 * catch up before that batch is probed, so the batch sees its reference partition read to its
 * end. Thread-safe: the set is replaced, never changed in place.
 */
public final class OwnedPartitions {
  private volatile Set<Integer> owned = Set.of();

  /** The reader now reads {@code partitions} too. */
  public synchronized void add(Collection<Integer> partitions) {
    Set<Integer> next = new TreeSet<>(owned);
    next.addAll(partitions);
    owned = Set.copyOf(next);
  }

  /** The reader no longer reads {@code partitions}. */
  public synchronized void remove(Collection<Integer> partitions) {
    Set<Integer> next = new TreeSet<>(owned);
    next.removeAll(partitions);
    owned = Set.copyOf(next);
  }

  /** The partitions read now (an immutable copy). */
  public Set<Integer> now() {
    return owned;
  }

  @Override
  public String toString() {
    return new TreeSet<>(owned).toString();
  }
}
