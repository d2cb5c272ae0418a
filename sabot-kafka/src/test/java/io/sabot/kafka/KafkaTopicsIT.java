package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The admin helper {@code sabot bench-kafka} uses, against the real test broker. */
@Tag("integration")
class KafkaTopicsIT {
  @Test
  void shouldCreateCountMeasureAndDeleteTopics() throws Exception {
    String a = TestBroker.topic("topics-a");
    String b = TestBroker.topic("topics-b");
    try (KafkaTopics topics = KafkaTopics.connect(TestBroker.bootstrap())) {
      topics.create(List.of(new KafkaTopics.Topic(a, 3, Map.of()),
          new KafkaTopics.Topic(b, 1, Map.of("cleanup.policy", "compact"))), "topics-*");
      TestBroker.produce(a, List.of(new String[] {"k1", "v1"}, new String[] {"k2", "v2"},
          new String[] {null, "v3"}));

      assertEquals(3, topics.endOffsets(a));
      assertEquals(0, topics.endOffsets(b));
      long deadline = System.currentTimeMillis() + 10_000;
      long bytes = 0;
      while (bytes == 0 && System.currentTimeMillis() < deadline) bytes = topics.bytesOnDisk(a);
      assertTrue(bytes > 0, "topic " + a + " holds bytes on disk");

      topics.delete(List.of(a, b), List.of());
      String gone = null;
      deadline = System.currentTimeMillis() + 10_000;
      while (gone == null && System.currentTimeMillis() < deadline) {
        try {
          topics.endOffsets(a);
        } catch (IOException e) {
          gone = e.getMessage();
        }
      }
      assertTrue(gone != null && gone.startsWith("cannot describe " + a + ": "), String.valueOf(gone));
    }
  }
}
