package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sabot.error.InvalidJobException;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Kafka sink's waits come from one bound, and a job cannot set them so the client refuses them. */
class ProducerWaitsTest {
  private static KafkaSinkConfig sink(Map<String, Object> properties) {
    return KafkaSinkConfig.parse(new StreamOperatorNode(OperatorType.SINK, "out",
        Map.of("kafka_topic", "t", "properties", properties)));
  }

  @Test
  void shouldBoundEveryWaitByTheDefaultApiTimeout() {
    var w = KafkaClients.ProducerWaits.of(Map.of());
    assertEquals(new KafkaClients.ProducerWaits(15_000, 5, 14_995, 15_000), w);
    assertEquals(Duration.ofSeconds(15), w.bound());
    w = KafkaClients.ProducerWaits.of(sink(Map.of("default.api.timeout.ms", 3000)).properties());
    assertEquals(new KafkaClients.ProducerWaits(3_000, 5, 2_995, 3_000), w);
    assertEquals(Duration.ofSeconds(3), w.bound());
  }

  @Test
  void shouldRaiseDeliveryToLingerPlusRequestUnlessTheJobSetsIt() {
    var w = KafkaClients.ProducerWaits.of(Map.of("default.api.timeout.ms", "3000", "linger.ms", "100",
        "request.timeout.ms", "5000"));
    assertEquals(new KafkaClients.ProducerWaits(3_000, 100, 5_000, 5_100), w);
    assertEquals(Duration.ofMillis(5_100), w.bound());
  }

  @Test
  void shouldRefuseWaitsTheClientWouldRefuse() {
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> sink(Map.of("delivery.timeout.ms", 1000, "request.timeout.ms", 2000)));
    assertEquals("Invalid job: operator=out parameter=properties delivery.timeout.ms=1000 must be at "
        + "least linger.ms + request.timeout.ms = 5 + 2000", e.getMessage());
    e = assertThrows(InvalidJobException.class, () -> sink(Map.of("max.block.ms", "soon")));
    assertEquals("Invalid job: operator=out parameter=properties max.block.ms=soon must be a whole "
        + "number of milliseconds", e.getMessage());
  }
}
