package io.sabot.kafka;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;

/**
 * A compacted topic of one partition used as a small replicated key-value map: the latest value
 * per key wins, a null value (tombstone) removes the key. The cluster's jobs live in one
 * ({@code sabot.jobs}). One partition keeps every key in one order, so a reader sees the map as
 * of the moment it read.
 *
 * <pre>
 *   publish(k, v)   producer (idempotent, acks=all) ─► acknowledged, or an IOException
 *   readAll()       consumer (no group) from the start to the end offset seen first ─► k ─► v
 * </pre>
 */
final class ControlTopic implements AutoCloseable {
  private final String bootstrap;
  private final String topic;
  private final Duration timeout;
  /** Connection settings for every client (security.*, sasl.*, ssl.*); empty for plaintext. */
  private final Map<String, String> settings;
  private KafkaProducer<byte[], byte[]> producer;
  private boolean created;

  ControlTopic(String bootstrap, String topic, Duration timeout) {
    this(bootstrap, topic, timeout, Map.of());
  }

  ControlTopic(String bootstrap, String topic, Duration timeout, Map<String, String> settings) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.timeout = timeout;
    this.settings = Map.copyOf(settings);
  }

  String topic() {
    return topic;
  }

  /** Sets {@code key} to {@code value} (null: removes it) once the broker has it durably. */
  synchronized void publish(String key, byte[] value) throws IOException {
    ensureTopic();
    if (producer == null) producer = KafkaClients.producer(bootstrap, "sabot-control", null, settings);
    try {
      producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted writing topic=" + topic, e);
    } catch (ExecutionException e) {
      throw new IOException("cannot write topic=" + topic + " at bootstrap_servers=" + bootstrap
          + ": " + e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw KafkaClients.unreachable(bootstrap, timeout, e);
    }
  }

  /** Every key and its latest value, in the order the keys were first written. */
  Map<String, byte[]> readAll() throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (KafkaConsumer<byte[], ByteBuffer> consumer = KafkaClients.consumer(bootstrap, null,
        "sabot-control-reader", "earliest", settings, new ByteBufferDeserializer())) {
      TopicPartition p = new TopicPartition(topic, 0);
      long end;
      try {
        if (consumer.partitionsFor(topic, timeout).isEmpty()) return out;
        consumer.assign(List.of(p));
        consumer.seekToBeginning(List.of(p));
        end = consumer.endOffsets(List.of(p), timeout).get(p);
      } catch (UnknownTopicOrPartitionException missing) {
        return out; // nothing was ever submitted
      } catch (TimeoutException e) {
        throw KafkaClients.unreachable(bootstrap, timeout, e);
      }
      long deadline = System.currentTimeMillis() + timeout.toMillis();
      while (consumer.position(p, timeout) < end) {
        for (ConsumerRecord<byte[], ByteBuffer> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() >= end) break;
          String key = new String(r.key(), StandardCharsets.UTF_8);
          if (r.value() == null) {
            out.remove(key);
          } else {
            byte[] v = new byte[r.value().remaining()];
            r.value().duplicate().get(v);
            out.put(key, v);
          }
        }
        if (System.currentTimeMillis() > deadline) {
          throw new IOException("topic=" + topic + " at bootstrap_servers=" + bootstrap
              + " did not deliver its records up to offset " + end + " within "
              + timeout.toMillis() / 1000.0 + " s");
        }
      }
    }
    return out;
  }

  /** Creates the topic (compacted, one partition) unless it exists. */
  void ensureTopic() throws IOException {
    if (created) return;
    try (Admin client = KafkaClients.admin(bootstrap, settings, timeout)) {
      client.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())
          .configs(Map.of("cleanup.policy", "compact")))).all()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IOException("cannot create the control topic=" + topic + " at bootstrap_servers="
            + bootstrap + ": " + e.getCause().getMessage(), e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted creating topic=" + topic, e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw KafkaClients.unreachable(bootstrap, timeout, e);
    }
    created = true;
  }

  @Override
  public synchronized void close() {
    if (producer != null) producer.close(timeout);
    producer = null;
  }
}
