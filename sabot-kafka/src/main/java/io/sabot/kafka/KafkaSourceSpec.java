package io.sabot.kafka;

import io.sabot.graph.ConnectorSpec;
import io.sabot.graph.OperatorParameters;
import io.sabot.types.ColumnType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A kafka_topic SOURCE, its defaults written out (so an agent that receives it uses the same
 * group and dead-letter topic as the job that was submitted).
 *
 * @param schema     the declared columns; empty for arrow without schema (read from a record)
 * @param groupId    the consumer group whose committed offsets say where a restart continues
 * @param start      earliest, latest or committed (committed, else earliest)
 * @param bounded    read up to the end offsets seen at start, then finish
 * @param keyColumn  for a reference table: the column that keys the changelog (null: the
 *                   record key)
 * @param groupAssignment {@code assignment: group}: the stream's partitions are assigned by
 *                   the consumer group protocol and shared with every other consumer of
 *                   {@code group_id} (agents, or several {@code sabot run}); false
 *                   ({@code assignment: all}, the default): this reader takes every partition
 */
public record KafkaSourceSpec(String topic, String bootstrapServers, String format,
                              Map<String, ColumnType> schema, String groupId, String start,
                              boolean bounded, Map<String, String> properties,
                              String deadLetterTopic, String keyColumn, boolean groupAssignment)
    implements ConnectorSpec {
  /** Where a broker started by {@code sabot broker} listens. */
  static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
  static final java.util.List<String> PARAMETERS = java.util.List.of("kafka_topic",
      "bootstrap_servers", "format", "schema", "key", "group_id", "start", "bounded",
      "properties", "dead_letter_topic", "assignment");

  public KafkaSourceSpec {
    schema = Collections.unmodifiableMap(new LinkedHashMap<>(schema));
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
  }

  @Override
  public Map<String, Object> toParameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kafka_topic", topic);
    m.put("bootstrap_servers", bootstrapServers);
    m.put("format", format);
    if (!schema.isEmpty()) m.put("schema", OperatorParameters.schemaParameter(schema));
    m.put("group_id", groupId);
    m.put("start", start);
    m.put("bounded", bounded);
    if (!properties.isEmpty()) m.put("properties", new LinkedHashMap<>(properties));
    m.put("dead_letter_topic", deadLetterTopic);
    if (keyColumn != null) m.put("key", keyColumn);
    m.put("assignment", groupAssignment ? "group" : "all");
    return m;
  }

  /** The same source with its partitions shared through the consumer group (agents run it so). */
  public KafkaSourceSpec withGroupAssignment() {
    return new KafkaSourceSpec(topic, bootstrapServers, format, schema, groupId, start, bounded,
        properties, deadLetterTopic, keyColumn, true);
  }

  /** The same source with {@code extra} client settings (an agent's connection settings). */
  public KafkaSourceSpec withProperties(Map<String, String> extra) {
    Map<String, String> all = new LinkedHashMap<>(properties);
    all.putAll(extra);
    return new KafkaSourceSpec(topic, bootstrapServers, format, schema, groupId, start, bounded,
        all, deadLetterTopic, keyColumn, groupAssignment);
  }

  static KafkaSourceSpec parse(OperatorParameters p) {
    String topic = p.text("kafka_topic", "");
    RecordFormat format = RecordFormat.of(p);
    Map<String, ColumnType> schema = p.schema();
    if (p.has("schema") && schema.isEmpty()) {
      p.problem("schema", "value={} must be a map of column name to type, e.g. "
          + "{instrumentId: int64, price: float64}");
    } else if (schema.isEmpty() && format != RecordFormat.ARROW) {
      p.problem("schema", "is missing; a kafka_topic source with format=" + format.jobName()
          + " needs its columns and types, e.g. {instrumentId: int64, price: float64}");
    }
    Map<String, String> properties = p.settings("properties", "{max.poll.records: 2000}");
    String commitEvery = properties.get("auto.commit.interval.ms");
    if (commitEvery != null && !commitEvery.trim().matches("\\d{1,12}")) {
      p.problem("properties", "auto.commit.interval.ms=" + commitEvery + " must be a whole number of "
          + "milliseconds (how often Sabot commits the offsets of durable rows)");
    }
    String key = p.text("key", null);
    if (!schema.isEmpty() && key != null && !schema.containsKey(key)) {
      p.problem("key", "column=" + key + " is not in the schema; available: "
          + String.join(", ", schema.keySet()));
    }
    KafkaSourceSpec spec = new KafkaSourceSpec(topic, p.text("bootstrap_servers", DEFAULT_BOOTSTRAP),
        format.jobName(), schema, p.text("group_id", "sabot-" + p.operator()),
        p.choice("start", "committed", "earliest", "latest", "committed"),
        p.flag("bounded", false), properties, p.text("dead_letter_topic", topic + ".dlq"), key,
        p.choice("assignment", "all", "all", "group").equals("group"));
    return p.isValid() ? spec : null;
  }
}
