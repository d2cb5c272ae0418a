package io.sabot.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The real broker the integration tests share: one child-JVM KRaft broker per test JVM (started
 * on first use, stopped when the JVM exits), and small helpers to make topics, write records and
 * read them back (read_committed). Each test uses topics of its own.
 */
final class TestBroker {
  private static KafkaBroker broker;

  private TestBroker() {}

  static synchronized String bootstrap() {
    if (broker == null) {
      try {
        broker = KafkaBroker.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      KafkaBroker b = broker;
      Runtime.getRuntime().addShutdownHook(new Thread(b::close, "test-broker-stop"));
    }
    return broker.bootstrapServers();
  }

  /** A topic name no other test uses. */
  static String topic(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static void createTopic(String name, int partitions, boolean compacted) throws Exception {
    createTopic(bootstrap(), name, partitions, compacted);
  }

  /**
   * On the broker at {@code bootstrap} (a test's own broker, e.g. one it kills); returns once
   * every partition answers at its leader. A produce to a partition not yet loaded there fails
   * with NOT_LEADER_OR_FOLLOWER, and an idempotent producer's later batches were then refused as
   * OUT_OF_ORDER_SEQUENCE_NUMBER until its records expired (ArrowStreamIT, once).
   */
  static void createTopic(String bootstrap, String name, int partitions, boolean compacted)
      throws Exception {
    try (Admin admin = KafkaClients.admin(bootstrap, Map.of(), Duration.ofSeconds(30))) {
      NewTopic t = new NewTopic(name, partitions, (short) 1);
      if (compacted) t.configs(Map.of("cleanup.policy", "compact"));
      admin.createTopics(List.of(t)).all().get();
      Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
      for (int p = 0; p < partitions; p++) ends.put(new TopicPartition(name, p), OffsetSpec.latest());
      long deadline = System.currentTimeMillis() + 30_000;
      while (true) {
        try {
          admin.listOffsets(ends).all().get(); // answered by each partition's leader
          return;
        } catch (ExecutionException notYet) {
          if (System.currentTimeMillis() > deadline) throw notYet;
          Thread.sleep(50);
        }
      }
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  /** Writes {@code records} (key, value pairs; a null value is a tombstone) and waits for acks. */
  static void produce(String topic, List<String[]> records) {
    produce(bootstrap(), topic, records);
  }

  static void produce(String bootstrap, String topic, List<String[]> records) {
    try (KafkaProducer<byte[], byte[]> p = KafkaClients.producer(bootstrap, "test-producer", null, Map.of())) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (String[] kv : records) {
        acks.add(p.send(new ProducerRecord<>(topic, bytes(kv[0]), bytes(kv[1]))));
      }
      p.flush();
      for (Future<RecordMetadata> a : acks) a.get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("cannot write test records to " + topic + ": " + e, e);
    }
  }

  /** Values only, no keys. */
  static void produceValues(String topic, List<String> values) {
    produceValues(bootstrap(), topic, values);
  }

  static void produceValues(String bootstrap, String topic, List<String> values) {
    List<String[]> records = new ArrayList<>();
    for (String v : values) records.add(new String[] {null, v});
    produce(bootstrap, topic, records);
  }

  /** Every committed record of {@code topic} once at least {@code atLeast} arrived (or the wait ended). */
  /** The offsets {@code group} has committed for {@code topic}, summed over its partitions. */
  static long committed(String group, String topic) {
    try (KafkaConsumer<byte[], byte[]> c = KafkaClients.consumer(bootstrap(), group,
        "test-offsets", "earliest", Map.of())) {
      Set<TopicPartition> parts = new HashSet<>();
      c.partitionsFor(topic).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
      return c.committed(parts).values().stream().mapToLong(o -> o == null ? 0 : o.offset()).sum();
    }
  }

  static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int atLeast, Duration wait) {
    return readAll(bootstrap(), topic, atLeast, wait);
  }

  static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic, int atLeast,
                                                      Duration wait) {
    Properties props = new Properties();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = KafkaClients.consumer(bootstrap, null, "test-reader",
        "earliest", Map.of("allow.auto.create.topics", "true"))) {
      List<TopicPartition> parts = new ArrayList<>();
      long deadline = System.currentTimeMillis() + wait.toMillis();
      while (parts.isEmpty() && System.currentTimeMillis() < deadline) {
        c.partitionsFor(topic).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> ends = c.endOffsets(parts);
      while (System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) out.add(r);
        boolean atEnd = true;
        for (TopicPartition tp : parts) atEnd &= c.position(tp) >= ends.get(tp);
        if (out.size() >= atLeast && atEnd) break;
        if (atEnd) ends = c.endOffsets(parts);
      }
    }
    return out;
  }

  static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
    List<String> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) out.add(text(r.value()));
    return out;
  }

  static String text(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }
}
