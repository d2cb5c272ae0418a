package io.sabot.kafka;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Keyed records written to one topic (acks=all, idempotent), for tools and benchmarks outside
 * this module (only sabot-kafka talks to Kafka). Sends are asynchronous; {@link #close} waits
 * until every record sent is acknowledged and fails if one was not.
 */
public final class KeyedRecords implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  private KeyedRecords(KafkaProducer<byte[], byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  public static KeyedRecords open(String bootstrap, String topic, String clientId) {
    return new KeyedRecords(KafkaClients.producer(bootstrap, clientId, null, Map.of()), topic);
  }

  /** Sends one record (blocks only while the producer's buffer is full). */
  public void send(byte[] key, byte[] value) {
    producer.send(new ProducerRecord<>(topic, key, value), (meta, e) -> {
      if (e != null) failure.compareAndSet(null, e);
    });
  }

  /** Whether a record sent so far was refused (then {@link #close} fails). */
  public boolean failed() {
    return failure.get() != null;
  }

  @Override
  public void close() throws IOException {
    try {
      producer.flush();
    } finally {
      producer.close();
    }
    if (failure.get() != null) {
      throw new IOException("writing to topic " + topic + " failed: " + failure.get().getMessage(),
          failure.get());
    }
  }
}
