package io.sabot.kafka;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the consumer groups of a job's bounded streams have committed, against the end each
 * stream topic had when this was made: a job has finished on every partition once every
 * partition's committed offset reached that end (an empty partition has nothing to commit).
 */
final class GroupProgress implements AutoCloseable {
  private record Stream(String group, Map<TopicPartition, Long> ends) {}

  private final Admin admin;
  private final List<Stream> streams = new java.util.ArrayList<>();

  GroupProgress(List<KafkaSourceSpec> sources) throws IOException {
    this.admin = KafkaClients.admin(sources.get(0).bootstrapServers(), Map.of(),
        KafkaClients.TIMEOUT);
    try {
      for (KafkaSourceSpec s : sources) {
        var description = get(admin.describeTopics(List.of(s.topic())).allTopicNames(),
            "describe topic=" + s.topic()).get(s.topic());
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        description.partitions().forEach(p ->
            latest.put(new TopicPartition(s.topic(), p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        get(admin.listOffsets(latest).all(), "read the end offsets of topic=" + s.topic())
            .forEach((tp, info) -> ends.put(tp, info.offset()));
        streams.add(new Stream(s.groupId(), ends));
      }
    } catch (IOException | RuntimeException e) {
      admin.close();
      throw e;
    }
  }

  /** Whether every stream's group has committed up to its end on every partition. */
  boolean committedToEnd() throws IOException {
    for (Stream s : streams) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          get(admin.listConsumerGroupOffsets(s.group()).partitionsToOffsetAndMetadata(),
              "read the committed offsets of group_id=" + s.group());
      for (Map.Entry<TopicPartition, Long> e : s.ends().entrySet()) {
        if (e.getValue() == 0) continue;
        OffsetAndMetadata c = committed.get(e.getKey());
        if (c == null || c.offset() < e.getValue()) return false;
      }
    }
    return true;
  }

  private static <T> T get(KafkaFuture<T> f, String what) throws IOException {
    return KafkaClients.await(f, KafkaClients.TIMEOUT, what);
  }

  @Override
  public void close() {
    admin.close();
  }
}
