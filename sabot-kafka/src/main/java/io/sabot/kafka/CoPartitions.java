package io.sabot.kafka;

import io.sabot.connect.OwnedPartitions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The partitions of a reference topic that a co-partitioned feed reads: those numbered as the
 * stream partitions this process reads now ({@link OwnedPartitions}, which the stream's reader
 * keeps up to date as its consumer group moves partitions). Each {@link #update()} says which
 * to start reading and which to drop since the last one.
 *
 * <pre>
 *   stream owns {0, 2} ─► read reference 0, 2 ─► stream owns {0, 1} ─► added [1], removed [2]
 * </pre>
 */
final class CoPartitions {
  /** What changed in one {@link #update()}, and the partitions to read from now on. */
  record Change(List<TopicPartition> now, List<TopicPartition> added,
                List<TopicPartition> removed) {
    boolean isEmpty() {
      return added.isEmpty() && removed.isEmpty();
    }
  }

  private final String topic;
  private final int count;
  private final OwnedPartitions owned;
  private Set<Integer> reading = Set.of();

  CoPartitions(String topic, int count, OwnedPartitions owned) {
    this.topic = topic;
    this.count = count;
    this.owned = owned;
  }

  /** The numbers of {@code partitions}, as a stream reader reports them to {@link OwnedPartitions}. */
  static List<Integer> numbers(Collection<TopicPartition> partitions) {
    List<Integer> out = new ArrayList<>(partitions.size());
    for (TopicPartition tp : partitions) out.add(tp.partition());
    return out;
  }

  /** The partitions to read now, and how they differ from the last call's. */
  Change update() throws IOException {
    Set<Integer> next = owned.now();
    List<TopicPartition> added = new ArrayList<>();
    List<TopicPartition> removed = new ArrayList<>();
    List<TopicPartition> now = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      boolean want = next.contains(p);
      boolean had = reading.contains(p);
      if (want) now.add(new TopicPartition(topic, p));
      if (want && !had) added.add(new TopicPartition(topic, p));
      if (had && !want) removed.add(new TopicPartition(topic, p));
    }
    for (int p : next) {
      if (p >= count) {
        // partitions added to the stream topic since the start: keys now hash elsewhere
        throw new IOException("the stream now reads its partition " + p + " but reference "
            + "topic=" + topic + " has " + count + " partitions; co_partitioned needs both "
            + "topics to keep the same number of partitions: add as many to the reference topic, "
            + "write both again keyed alike, and restart the job");
      }
    }
    reading = next;
    return new Change(now, added, removed);
  }
}
