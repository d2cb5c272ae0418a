package io.sabot.kafka;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates a Kafka sink's topic when it does not exist, with the sink's {@code partitions} and
 * {@code replication_factor}, before the first row is written: a cluster that does not create
 * topics on first use (auto.create.topics.enable=false, the usual production setting) then
 * works, and a cluster that does gets the partitions the job asked for, not the broker's default.
 *
 * <pre>
 *   describe topic ── exists ──────────► use it as it is (its partitions are never changed)
 *                 └─ unknown ─► create ─► (another writer created it meanwhile: use theirs)
 * </pre>
 *
 * The admin client gets only the sink's connection settings (security.*, sasl.*, ssl.*), not
 * its producer settings.
 */
final class SinkTopic {
  private SinkTopic() {}

  /** Makes sure {@code config}'s topic exists; true when this call created it. */
  static boolean ensure(KafkaSinkConfig config, Duration timeout) throws IOException {
    try (Admin admin = KafkaClients.admin(config.bootstrapServers(),
        connectionSettings(config.properties()), timeout)) {
      String topic = config.topic();
      try {
        get(admin.describeTopics(List.of(topic)).allTopicNames(), timeout, config);
        return false;
      } catch (UnknownTopicOrPartitionException missing) {
        // create it below
      }
      Optional<Short> replication = config.replicationFactor() == null ? Optional.empty()
          : Optional.of(config.replicationFactor().shortValue());
      try {
        get(admin.createTopics(List.of(new NewTopic(topic, Optional.of(config.partitions()),
            replication))).all(), timeout, config);
        return true;
      } catch (TopicExistsException raced) {
        return false;
      }
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("cannot create topic=" + config.topic() + " (partitions="
          + config.partitions() + (config.replicationFactor() == null ? ""
          : ", replication_factor=" + config.replicationFactor()) + ") at bootstrap_servers="
          + config.bootstrapServers() + ": " + e.getMessage() + "; create it yourself, or give "
          + "the job's user the CREATE permission on it", e);
    }
  }

  /** The settings of {@code properties} that say how to connect, not how to produce. */
  static Map<String, String> connectionSettings(Map<String, String> properties) {
    Map<String, String> out = new HashMap<>();
    for (Map.Entry<String, String> e : properties.entrySet()) {
      String k = e.getKey();
      if (k.startsWith("security.") || k.startsWith("sasl.") || k.startsWith("ssl.")
          || k.equals("client.dns.lookup")) {
        out.put(k, e.getValue());
      }
    }
    return out;
  }

  /** The future's value; its failure's cause rethrown as it is (callers catch Kafka's types). */
  private static <T> T get(KafkaFuture<T> future, Duration timeout, KafkaSinkConfig config)
      throws Exception {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw KafkaClients.unreachable(config.bootstrapServers(), timeout, (Exception) cause);
      }
      if (cause instanceof Exception) throw (Exception) cause;
      throw e;
    } catch (TimeoutException e) {
      throw KafkaClients.unreachable(config.bootstrapServers(), timeout, e);
    }
  }
}
