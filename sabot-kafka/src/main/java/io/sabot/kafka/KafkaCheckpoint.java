package io.sabot.kafka;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * A Kafka source's position after one batch: for every partition, the offset of the next record
 * not yet in a batch (or rejected). Committed by the source's consumer once the sink has the
 * batch's rows, or by a transactional sink inside its transaction (then
 * {@link #committedBySink} is set and the source does not commit it again).
 */
final class KafkaCheckpoint {
  final String groupId;
  final Map<TopicPartition, Long> nextOffsets;
  volatile boolean committedBySink;

  KafkaCheckpoint(String groupId, Map<TopicPartition, Long> nextOffsets) {
    this.groupId = groupId;
    this.nextOffsets = nextOffsets;
  }

  @Override
  public String toString() {
    return "KafkaCheckpoint" + nextOffsets;
  }
}
