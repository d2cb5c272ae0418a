package io.sabot.kafka;

import io.sabot.graph.OnError;
import io.sabot.graph.SourceSpec;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.util.Map;

/**
 * A kafka_topic SOURCE as it runs: its {@link KafkaSourceSpec} with the operator's name and what
 * it does with records it cannot decode.
 *
 * @param schema the declared columns; null for arrow without schema (read from a record)
 */
record KafkaSourceConfig(String operator, String topic, String bootstrapServers,
                         RecordFormat format, Schema schema, String groupId, String start,
                         boolean bounded, Map<String, String> properties, String deadLetterTopic,
                         String keyColumn, OnError onError, boolean groupAssignment) {

  /** The config of a kafka_topic SOURCE node, its parameters read as the planner reads them. */
  static KafkaSourceConfig parse(StreamOperatorNode node) {
    SourceSpec spec = node.spec(SourceSpec.class);
    return of(node.name(), (KafkaSourceSpec) spec.connector(), spec.onError());
  }

  static KafkaSourceConfig of(String operator, KafkaSourceSpec spec, OnError onError) {
    Schema schema = spec.schema().isEmpty() ? null : new Schema(spec.schema().entrySet().stream()
        .map(e -> new Field(e.getKey(), e.getValue())).toList());
    return new KafkaSourceConfig(operator, spec.topic(), spec.bootstrapServers(),
        RecordFormat.parse(spec.format()), schema, spec.groupId(), spec.start(), spec.bounded(),
        spec.properties(), spec.deadLetterTopic(), spec.keyColumn(), onError,
        spec.groupAssignment());
  }
}
