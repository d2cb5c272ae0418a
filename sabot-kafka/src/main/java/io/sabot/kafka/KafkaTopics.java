package io.sabot.kafka;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;

/**
 * The topic administration that tools outside this module need (today {@code sabot bench-kafka}):
 * create and delete topics, count a topic's records and its bytes on the broker's disks. It keeps
 * {@code org.apache.kafka} inside {@code sabot-kafka} (only this module may import it). Every call
 * waits at most {@value #WAIT_SECONDS} s and fails with an {@link IOException} naming what it tried.
 */
public final class KafkaTopics implements AutoCloseable {
  private static final int WAIT_SECONDS = 60;
  private final Admin admin;

  /** A topic to create: its name, partition count (replication 1) and topic configs. */
  public record Topic(String name, int partitions, Map<String, String> configs) {
    public Topic {
      configs = Map.copyOf(configs);
    }
  }

  private KafkaTopics(Admin admin) {
    this.admin = admin;
  }

  /** An admin client for the cluster at {@code bootstrap}; close it when done. */
  public static KafkaTopics connect(String bootstrap) {
    return new KafkaTopics(Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000",
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000")));
  }

  /** Creates the topics, all or none reported; {@code what} names them in an error. */
  public void create(List<Topic> topics, String what) throws IOException {
    List<NewTopic> all = new ArrayList<>();
    for (Topic t : topics) {
      all.add(new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.configs()));
    }
    get(admin.createTopics(all).all(), "create topics " + what);
  }

  /** Deletes the consumer groups, then the topics. */
  public void delete(List<String> topics, List<String> consumerGroups) throws IOException {
    if (!consumerGroups.isEmpty()) {
      get(admin.deleteConsumerGroups(consumerGroups).all(), "delete consumer groups " + consumerGroups);
    }
    get(admin.deleteTopics(topics).all(), "delete topics " + topics);
  }

  /** Bytes the topic's partitions hold on the broker's disks. */
  public long bytesOnDisk(String topic) throws IOException {
    List<Integer> brokers = new ArrayList<>();
    for (Node n : get(admin.describeCluster().nodes(), "describe the cluster")) brokers.add(n.id());
    long sum = 0;
    Map<Integer, Map<String, LogDirDescription>> dirs =
        get(admin.describeLogDirs(brokers).allDescriptions(), "describe the log dirs");
    for (Map<String, LogDirDescription> byDir : dirs.values()) {
      for (LogDirDescription d : byDir.values()) {
        for (Map.Entry<TopicPartition, ReplicaInfo> e : d.replicaInfos().entrySet()) {
          if (e.getKey().topic().equals(topic)) sum += e.getValue().size();
        }
      }
    }
    return sum;
  }

  /** The sum of the topic's partitions' end offsets (its records, if it was written once). */
  public long endOffsets(String topic) throws IOException {
    TopicDescription d = get(admin.describeTopics(List.of(topic)).allTopicNames(), "describe " + topic)
        .get(topic);
    Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
    d.partitions().forEach(p -> specs.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
        get(admin.listOffsets(specs).all(), "list the offsets of " + topic);
    long sum = 0;
    for (ListOffsetsResult.ListOffsetsResultInfo i : ends.values()) sum += i.offset();
    return sum;
  }

  @Override
  public void close() {
    admin.close();
  }

  private static <T> T get(KafkaFuture<T> future, String what) throws IOException {
    return KafkaClients.await(future, Duration.ofSeconds(WAIT_SECONDS), what);
  }
}
