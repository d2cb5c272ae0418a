package io.sabot.kafka;

import io.sabot.graph.StreamOperatorNode;
import java.util.Map;

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
    String txId = properties.getOrDefault("transactional.id", "sabot-" + node.name() + "-" + topic);
    p.check();
    return new KafkaSinkConfig(node.name(), topic,
        p.text("bootstrap_servers", KafkaParameters.DEFAULT_BOOTSTRAP), format, key, properties,
        exactlyOnce, txId);
  }
}
