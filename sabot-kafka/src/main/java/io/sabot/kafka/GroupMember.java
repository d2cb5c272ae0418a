package io.sabot.kafka;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A stream reader's place in its consumer group, kept by the thread that polls and read by the
 * sink's thread (a KafkaConsumer may only be called by the one): the member's id and generation,
 * which an exactly-once sink sends with the offsets in its transaction so that the broker refuses
 * them from a member the group has moved on from (a zombie), and which partitions it has owned
 * without a break since which batch.
 *
 * <pre>
 *   batch cut at sequence s from partition p ─► owns(p, s): p assigned here at or before s and
 *                                               not revoked or lost since
 * </pre>
 *
 * A reader given every partition ({@code assignment: all}) owns them all from the start and has
 * no generation: its offsets go with the group id alone, as a consumer outside a group commits.
 */
final class GroupMember {
  private final ConcurrentHashMap<TopicPartition, Long> ownedSince = new ConcurrentHashMap<>();
  private volatile ConsumerGroupMetadata metadata;

  GroupMember(String groupId) {
    this.metadata = new ConsumerGroupMetadata(groupId);
  }

  /**
   * The consumer's metadata after a poll or in a rebalance callback. Only a generation the
   * member has joined is kept: a member dropped from the group has none (-1), and offsets sent
   * with none would be taken from anyone, which is what fencing must prevent.
   */
  void update(ConsumerGroupMetadata current) {
    if (current.generationId() >= 0) metadata = current;
  }

  ConsumerGroupMetadata metadata() {
    return metadata;
  }

  /** {@code tp} is this member's from the batch with sequence {@code sequence} on. */
  void assigned(TopicPartition tp, long sequence) {
    ownedSince.put(tp, sequence);
  }

  /** Revoked or lost: no batch cut before now may commit these partitions' offsets any more. */
  void gone(Collection<TopicPartition> partitions) {
    ownedSince.keySet().removeAll(partitions);
  }

  /** Whether {@code tp} has been this member's without a break since the batch {@code sequence}. */
  boolean owns(TopicPartition tp, long sequence) {
    Long since = ownedSince.get(tp);
    return since != null && sequence >= since;
  }

  /** The offsets of {@code next} whose partitions this member has owned since {@code sequence}. */
  Map<TopicPartition, Long> owned(Map<TopicPartition, Long> next, long sequence) {
    Map<TopicPartition, Long> out = new HashMap<>();
    next.forEach((tp, offset) -> {
      if (owns(tp, sequence)) out.put(tp, offset);
    });
    return out;
  }

  /**
   * Thrown by an exactly-once sink that its group has fenced: its transaction holds rows of a
   * partition this member no longer owns (the group gave it to another member while the
   * transaction was open: a pause past session.timeout.ms, or a revocation that outwaited the
   * job's timeout), or the group went on refusing its offsets for the job's timeout (its reader
   * could not catch up with the group meanwhile). The transaction is aborted, its rows never
   * seen by read_committed readers; the partitions' owners read them again from the committed
   * offsets. The job must rejoin its group to go on (an agent runs it again).
   */
  static final class FencedException extends IOException {
    FencedException(String message) {
      super(message);
    }

    /** Whether {@code failure} or one of its causes is this. */
    static boolean in(Throwable failure) {
      for (Throwable t = failure; t != null; t = t.getCause()) {
        if (t instanceof FencedException) return true;
      }
      return false;
    }
  }
}
