package io.sabot.kafka;

import io.sabot.graph.StreamOperatorNode;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * A kafka_topic SINK, as its parameters describe it.
 *
 * @param keyColumn       the column whose text keys each record (jsonl, csv); null: no key
 * @param exactlyOnce     {@code delivery: exactly_once}: rows and source offsets in one
 *                        transaction; else at-least-once (offsets committed after acks)
 * @param transactionalId stable across restarts, so a restarted job fences and aborts the
 *                        transaction its killed predecessor left open
 */
record KafkaSinkConfig(String operator, String topic, String bootstrapServers, RecordFormat format,
                       String keyColumn, Map<String, String> properties, boolean exactlyOnce,
                       String transactionalId) {

  static KafkaSinkConfig parse(StreamOperatorNode node) {
    KafkaParameters p = new KafkaParameters(node);
    String topic = p.text("kafka_topic", "");
    RecordFormat format = p.format();
    String key = p.text("key", null);
    if (key != null && format == RecordFormat.ARROW) {
      p.problem("key", "is not used with format=arrow: a record holds a whole batch, not one row");
    }
    boolean exactlyOnce = p.choice("delivery", "at_least_once", "at_least_once", "exactly_once")
        .equals("exactly_once");
    Map<String, String> properties = p.properties();
    checkWaits(p, properties);
    String txId = properties.getOrDefault("transactional.id", "sabot-" + node.name() + "-" + topic);
    p.check();
    return new KafkaSinkConfig(node.name(), topic,
        p.text("bootstrap_servers", KafkaParameters.DEFAULT_BOOTSTRAP), format, key, properties,
        exactlyOnce, txId);
  }

  /** The producer's waits are whole milliseconds, and delivery covers linger + request. */
  private static void checkWaits(KafkaParameters p, Map<String, String> properties) {
    boolean numbers = true;
    for (String key : List.of("default.api.timeout.ms", ProducerConfig.MAX_BLOCK_MS_CONFIG,
        ProducerConfig.LINGER_MS_CONFIG, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)) {
      String v = properties.get(key);
      if (v == null) continue;
      try {
        if (Long.parseLong(v.trim()) < 0) throw new NumberFormatException();
      } catch (NumberFormatException e) {
        p.problem("properties", key + "=" + v + " must be a whole number of milliseconds");
        numbers = false;
      }
    }
    if (!numbers) return;
    KafkaClients.ProducerWaits w = KafkaClients.ProducerWaits.of(properties);
    if (w.deliveryMs() < w.lingerMs() + w.requestMs()) {
      p.problem("properties", "delivery.timeout.ms=" + w.deliveryMs() + " must be at least "
          + "linger.ms + request.timeout.ms = " + w.lingerMs() + " + " + w.requestMs());
    }
  }
}
