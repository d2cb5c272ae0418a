package io.sabot.kafka;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The Kafka clients Sabot makes, with the settings that make its guarantees hold (no auto commit,
 * read_committed, idempotent producer, acks=all) and bounded waits, so an unreachable broker is a
 * clear error after {@link #TIMEOUT}, never a silent hang. A job's {@code properties} come last and
 * may override any of them.
 */
final class KafkaClients {
  /** How long a client call may wait for the broker before the job fails (default). */
  static final Duration TIMEOUT = Duration.ofSeconds(15);

  /** The job's {@code default.api.timeout.ms} if it sets one, else {@link #TIMEOUT}. */
  static Duration timeout(Map<String, String> properties) {
    String ms = properties.get(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
    return ms == null ? TIMEOUT : Duration.ofMillis(Long.parseLong(ms.trim()));
  }

  private KafkaClients() {}

  /** A consumer of raw bytes; {@code groupId} null for one that only reads (no commits). */
  static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String groupId, String clientId,
                                                String offsetReset, Map<String, String> overrides) {
    return consumer(bootstrap, groupId, clientId, offsetReset, overrides, new ByteArrayDeserializer());
  }

  /**
   * As {@link #consumer(String, String, String, String, Map)}, the values deserialized by
   * {@code values} (a {@code ByteBufferDeserializer} hands them out without copying).
   */
  static <V> KafkaConsumer<byte[], V> consumer(String bootstrap, String groupId, String clientId,
                                               String offsetReset, Map<String, String> overrides,
                                               Deserializer<V> values) {
    return new KafkaConsumer<>(consumerProperties(bootstrap, groupId, clientId, offsetReset,
        overrides), new ByteArrayDeserializer(), values);
  }

  /** The settings of {@link #consumer}: Sabot's, then the job's {@code properties} over them. */
  static Properties consumerProperties(String bootstrap, String groupId, String clientId,
                                       String offsetReset, Map<String, String> overrides) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    if (groupId != null) p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 << 20));
    // The system's socket buffer, which grows with the traffic, instead of Kafka's fixed 64 KiB:
    // with 64 KiB the next fetch (sent as poll hands records over) stalls in the broker until
    // the next poll reads the socket, so the stream alternated between processing and waiting.
    p.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, "-1");
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT.toMillis()));
    p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT.toMillis()));
    p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
    p.putAll(overrides);
    return p;
  }

  /**
   * A producer's waits, all from one bound: {@code max.block.ms} (metadata, a full buffer, each
   * transaction call) and {@code delivery.timeout.ms} (from send to ack or failure) default to the
   * job's {@link #timeout}, {@code request.timeout.ms} to what is left of it after
   * {@code linger.ms} (the client refuses delivery &lt; linger + request). A job's
   * {@code properties} may set any of them; delivery is then raised to linger + request if it
   * was not set itself.
   */
  record ProducerWaits(long maxBlockMs, long lingerMs, long requestMs, long deliveryMs) {
    static ProducerWaits of(Map<String, String> properties) {
      long bound = timeout(properties).toMillis();
      long linger = millis(properties, ProducerConfig.LINGER_MS_CONFIG, 5);
      long request = millis(properties, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
          Math.max(1, bound - linger));
      long delivery = millis(properties, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
          Math.max(bound, linger + request));
      return new ProducerWaits(millis(properties, ProducerConfig.MAX_BLOCK_MS_CONFIG, bound),
          linger, request, delivery);
    }

    /** The longest a send, a flush or a transaction call waits before it fails. */
    Duration bound() {
      return Duration.ofMillis(Math.max(maxBlockMs, deliveryMs));
    }
  }

  private static long millis(Map<String, String> properties, String key, long dflt) {
    String v = properties.get(key);
    return v == null ? dflt : Long.parseLong(v.trim());
  }

  /**
   * An idempotent producer of raw bytes; with {@code transactionalId}, a transactional one. Its
   * waits are {@link ProducerWaits#of} the overrides.
   */
  static KafkaProducer<byte[], byte[]> producer(String bootstrap, String clientId,
                                                String transactionalId, Map<String, String> overrides) {
    ProducerWaits waits = ProducerWaits.of(overrides);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 << 10));
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(16 << 20));
    p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
    if (transactionalId != null) {
      p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
      p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "60000");
    }
    p.putAll(overrides);
    p.remove(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG); // a consumer setting; its value is in waits
    p.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(waits.lingerMs()));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(waits.maxBlockMs()));
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(waits.requestMs()));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(waits.deliveryMs()));
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** The topic's partitions; IOException when it does not exist or the broker does not answer. */
  static List<PartitionInfo> partitions(KafkaConsumer<?, ?> consumer, String topic, String bootstrap,
                                        Duration timeout) throws IOException {
    List<PartitionInfo> infos;
    try {
      infos = consumer.partitionsFor(topic, timeout);
    } catch (TimeoutException e) {
      throw unreachable(bootstrap, timeout, e);
    }
    if (infos == null || infos.isEmpty()) {
      throw new IOException("topic=" + topic + " does not exist at bootstrap_servers=" + bootstrap);
    }
    return infos;
  }

  /** The error for a broker that did not answer within {@code timeout}. */
  static IOException unreachable(String bootstrap, Duration timeout, Exception cause) {
    return new IOException("no answer from Kafka at bootstrap_servers=" + bootstrap + " within "
        + timeout.toMillis() / 1000.0 + " s (is the broker running? `sabot broker` starts one): "
        + cause.getMessage(), cause);
  }

  /**
   * An admin client whose calls wait at most {@code timeout}, connecting with {@code settings}
   * (security.*, sasl.*, ssl.*; empty for plaintext). Close it.
   */
  static Admin admin(String bootstrap, Map<String, String> settings, Duration timeout) {
    int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    Map<String, Object> all = new HashMap<>(settings);
    all.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    all.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
    all.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
    return Admin.create(all);
  }

  /**
   * The future's value within {@code timeout}; else an IOException saying it could not
   * {@code what}, and why.
   */
  static <T> T await(KafkaFuture<T> future, Duration timeout, String what) throws IOException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + what, e);
    } catch (ExecutionException e) {
      throw new IOException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException("cannot " + what + ": no answer from Kafka within "
          + timeout.toSeconds() + " s", e);
    }
  }
}
