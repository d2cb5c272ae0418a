package io.sabot.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead-letter topic of a Kafka source: each record it cannot decode is copied there as it
 * was (key, value, headers), with headers saying why and where it came from:
 *
 * <pre>
 *   sabot.error      column=price value='abc' is not a float64
 *   sabot.topic      quotes        sabot.partition  3        sabot.offset  1017
 *   sabot.operator   load_quotes
 * </pre>
 *
 * The producer is made on the first dead letter; {@link #flush()} makes every dead letter durable
 * before the source commits past it. Workers decoding a topic's records call it at once, so sends
 * and flushes take turns.
 */
final class DeadLetterTopic implements AutoCloseable {
  private final String topic;
  private final String operator;
  private final String bootstrap;
  private final Map<String, String> properties;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private KafkaProducer<byte[], byte[]> producer;
  private boolean unflushed;

  DeadLetterTopic(String topic, String operator, String bootstrap, Map<String, String> properties) {
    this.topic = topic;
    this.operator = operator;
    this.bootstrap = bootstrap;
    this.properties = properties;
  }

  String topic() {
    return topic;
  }

  synchronized void send(ConsumerRecord<byte[], byte[]> record, String reason) throws IOException {
    if (producer == null) {
      producer = KafkaClients.producer(bootstrap, "sabot-" + operator + "-dlq", null, properties);
    }
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    headers.add("sabot.error", utf8(reason));
    headers.add("sabot.topic", utf8(record.topic()));
    headers.add("sabot.partition", utf8(Integer.toString(record.partition())));
    headers.add("sabot.offset", utf8(Long.toString(record.offset())));
    headers.add("sabot.operator", utf8(operator));
    producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), headers),
        (meta, e) -> {
          if (e != null) failure.compareAndSet(null, e);
        });
    unflushed = true;
    check();
  }

  /** Waits until every dead letter sent is acknowledged. */
  synchronized void flush() throws IOException {
    if (!unflushed) return;
    producer.flush();
    unflushed = false;
    check();
  }

  private void check() throws IOException {
    Exception e = failure.get();
    if (e != null) {
      throw new IOException("cannot write dead letters to topic=" + topic + ": " + e.getMessage(), e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void close() {
    if (producer != null) producer.close(KafkaClients.TIMEOUT);
    producer = null;
  }
}
