package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** The settings Sabot's Kafka consumers start from, and a job's properties over them. */
class KafkaClientsTest {
  @Test
  void shouldReadCommittedWithTheSystemsReceiveBufferAndLargeFetchesByDefault() {
    Properties p = KafkaClients.consumerProperties("127.0.0.1:9092", "enrich", "sabot-quotes",
        "earliest", Map.of());
    assertEquals("-1", p.get("receive.buffer.bytes"), "the system's buffer, which grows");
    assertEquals(String.valueOf(8 << 20), p.get("max.partition.fetch.bytes"));
    assertEquals("read_committed", p.get("isolation.level"));
    assertEquals("false", p.get("enable.auto.commit"), "Sabot commits what is durable");
    assertEquals("enrich", p.get("group.id"));
    assertEquals("earliest", p.get("auto.offset.reset"));
  }

  @Test
  void shouldLetAJobsPropertiesOverrideTheDefaults() {
    Properties p = KafkaClients.consumerProperties("127.0.0.1:9092", null, "sabot-quotes",
        "earliest", Map.of("receive.buffer.bytes", "65536", "max.partition.fetch.bytes", "20000",
            "isolation.level", "read_uncommitted"));
    assertEquals("65536", p.get("receive.buffer.bytes"));
    assertEquals("20000", p.get("max.partition.fetch.bytes"));
    assertEquals("read_uncommitted", p.get("isolation.level"));
    assertFalse(p.containsKey("group.id"), "no group: a consumer that only reads");
  }

  @Test
  void shouldMakeSettingsTheKafkaClientAccepts() {
    // constructing validates every setting (and throws on one it refuses); it connects only
    // at the first request
    Properties p = KafkaClients.consumerProperties("127.0.0.1:1", "g", "sabot-check", "latest",
        Map.of());
    assertDoesNotThrow(() -> new KafkaConsumer<>(p, new ByteArrayDeserializer(),
        new ByteArrayDeserializer()).close());
  }
}
