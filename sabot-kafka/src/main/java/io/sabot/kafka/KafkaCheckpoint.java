package io.sabot.kafka;

import io.sabot.connect.SourcePosition;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A Kafka source's position after one batch: for every partition, the offset of the next record
 * not yet in a batch (or rejected). Committed by the source's consumer once the sink has the
 * batch's rows, or by a transactional sink inside its transaction (then
 * {@link #committedBySink} is set and the source does not commit it again). An exactly-once file
 * sink keeps it with its rows as text: {@code topic=quotes offsets=0:1500,1:1498}.
 */
final class KafkaCheckpoint implements SourcePosition {
  final String groupId;
  final Map<TopicPartition, Long> nextOffsets;
  /** The reader's count of batches cut before this one: which assignment of a partition it saw. */
  final long sequence;
  /** The partition whose records the batch holds. */
  final TopicPartition partition;
  /** The reader's group membership: which of these offsets it may still commit, and as whom. */
  final GroupMember member;

  volatile boolean committedBySink;

  KafkaCheckpoint(String groupId, Map<TopicPartition, Long> nextOffsets, long sequence,
                  TopicPartition partition, GroupMember member) {
    this.groupId = groupId;
    this.nextOffsets = nextOffsets;
    this.sequence = sequence;
    this.partition = partition;
    this.member = member;
  }

  /** Whether the batch's partition is still the reader's, as it was when the batch was cut. */
  boolean stillOwned() {
    return member.owns(partition, sequence);
  }

  /** The offsets this checkpoint may commit now: those of the partitions still owned since. */
  Map<TopicPartition, OffsetAndMetadata> ownedOffsets() {
    return KafkaBatchReader.offsets(member.owned(nextOffsets, sequence));
  }

  @Override
  public String encode() {
    String topic = null;
    Map<Integer, Long> byPartition = new TreeMap<>();
    for (Map.Entry<TopicPartition, Long> e : nextOffsets.entrySet()) {
      topic = e.getKey().topic();
      byPartition.put(e.getKey().partition(), e.getValue());
    }
    StringBuilder sb = new StringBuilder("topic=").append(topic).append(" offsets=");
    byPartition.forEach((p, o) -> sb.append(p).append(':').append(o).append(','));
    sb.setLength(sb.length() - 1);
    return sb.toString();
  }

  /** The offsets {@link #encode} wrote, for {@code topic}; IOException when they are another topic's. */
  static Map<TopicPartition, Long> decode(String text, String topic) throws IOException {
    String[] parts = text.trim().split(" ");
    if (parts.length != 2 || !parts[0].startsWith("topic=") || !parts[1].startsWith("offsets=")) {
      throw new IOException("position='" + text + "' is not a Kafka position (topic=T offsets=P:O,...)");
    }
    String kept = parts[0].substring("topic=".length());
    if (!kept.equals(topic)) {
      throw new IOException("the output holds rows up to a position in topic=" + kept
          + ", but this source reads topic=" + topic + "; write to another file");
    }
    Map<TopicPartition, Long> out = new HashMap<>();
    try {
      for (String po : parts[1].substring("offsets=".length()).split(",")) {
        int colon = po.indexOf(':');
        out.put(new TopicPartition(topic, Integer.parseInt(po.substring(0, colon))),
            Long.parseLong(po.substring(colon + 1)));
      }
    } catch (RuntimeException e) {
      throw new IOException("position='" + text + "' is not a Kafka position (topic=T offsets=P:O,...)", e);
    }
    return out;
  }

  @Override
  public String toString() {
    return "KafkaCheckpoint" + nextOffsets;
  }
}
