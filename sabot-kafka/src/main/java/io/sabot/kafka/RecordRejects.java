package io.sabot.kafka;

import io.sabot.connect.RecordRejecter;
import io.sabot.graph.OnError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Applies a Kafka source's {@code on_error} to a record it cannot decode: dead_letter (the
 * default) copies it to the dead-letter topic and counts it; skip counts it; fail stops the job
 * (the executor's rejecter throws), naming topic, partition and offset.
 */
final class RecordRejects implements AutoCloseable {
  private final OnError policy;
  private final RecordRejecter rejecter;
  private final DeadLetterTopic deadLetters;

  RecordRejects(KafkaSourceConfig config, RecordRejecter rejecter) {
    this.policy = config.onError();
    this.rejecter = rejecter;
    this.deadLetters = new DeadLetterTopic(config.deadLetterTopic(), config.operator(),
        config.bootstrapServers(), config.properties());
  }

  void reject(ConsumerRecord<byte[], byte[]> record, String reason) throws IOException {
    String partition = record.topic() + "-" + record.partition();
    if (policy == OnError.DEAD_LETTER) {
      deadLetters.send(record, reason);
      rejecter.deadLettered("topic " + deadLetters.topic(), partition, record.offset(), reason);
    } else {
      String raw = record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
      rejecter.reject(partition, record.offset(), raw, "offset " + record.offset() + ": " + reason);
    }
  }

  /**
   * As {@link #reject(ConsumerRecord, String)}, for a record read without copying its value (a
   * {@code ByteBufferDeserializer}): the value is copied only now, for the dead letter.
   */
  void rejectBuffer(ConsumerRecord<byte[], ByteBuffer> r, String reason) throws IOException {
    byte[] value = null;
    if (r.value() != null) {
      value = new byte[r.value().remaining()];
      r.value().duplicate().get(value);
    }
    reject(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(),
        r.timestampType(), r.serializedKeySize(), r.serializedValueSize(), r.key(), value,
        r.headers(), r.leaderEpoch()), reason);
  }

  /** Makes every dead letter durable: before committing offsets past them. */
  void flush() throws IOException {
    deadLetters.flush();
  }

  @Override
  public void close() {
    deadLetters.close();
  }
}
