package io.sabot.kafka;

import io.sabot.connect.OnError;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.types.Schema;
import java.util.Map;

/**
 * A kafka_topic SOURCE, as its parameters describe it (checked when the job is planned).
 *
 * @param schema        the declared columns; null for arrow without schema (read from a record)
 * @param groupId       the consumer group whose committed offsets say where a restart continues
 * @param start         earliest, latest or committed (committed, else earliest)
 * @param bounded       read up to the end offsets seen at start, then finish
 * @param keyColumn     for a reference table: the column that keys the changelog (null: the
 *                      record key)
 */
record KafkaSourceConfig(String operator, String topic, String bootstrapServers,
                         RecordFormat format, Schema schema, String groupId, String start,
                         boolean bounded, Map<String, String> properties, String deadLetterTopic,
                         String keyColumn, OnError onError) {

  static KafkaSourceConfig parse(StreamOperatorNode node) {
    KafkaParameters p = new KafkaParameters(node);
    String topic = p.text("kafka_topic", "");
    RecordFormat format = p.format();
    Schema schema = p.schema();
    if (schema == null && format != RecordFormat.ARROW && !p.has("schema")) {
      p.problem("schema", "is missing; a kafka_topic source with format=" + format.jobName()
          + " needs its columns and types, e.g. {instrumentId: int64, price: float64}");
    }
    OnError onError = OnError.DEAD_LETTER;
    if (p.has("on_error")) {
      try {
        onError = OnError.parse(String.valueOf(node.parameter("on_error")));
      } catch (IllegalArgumentException e) {
        p.problem("on_error", e.getMessage());
      }
    }
    KafkaSourceConfig c = new KafkaSourceConfig(node.name(), topic,
        p.text("bootstrap_servers", KafkaParameters.DEFAULT_BOOTSTRAP), format, schema,
        p.text("group_id", "sabot-" + node.name()),
        p.choice("start", "committed", "earliest", "latest", "committed"),
        p.flag("bounded", false), p.properties(),
        p.text("dead_letter_topic", topic + ".dlq"), p.text("key", null), onError);
    String commitEvery = c.properties().get("auto.commit.interval.ms");
    if (commitEvery != null && !commitEvery.trim().matches("\\d{1,12}")) {
      p.problem("properties", "auto.commit.interval.ms=" + commitEvery + " must be a whole number of "
          + "milliseconds (how often Sabot commits the offsets of durable rows)");
    }
    if (schema != null && c.keyColumn != null && !schema.contains(c.keyColumn)) {
      p.problem("key", "column=" + c.keyColumn + " is not in the schema; available: "
          + String.join(", ", schema.names()));
    }
    p.check();
    return c;
  }
}
