package io.sabot.kafka;

import io.sabot.graph.SinkSpec;
import io.sabot.graph.StreamOperatorNode;
import java.util.Map;

/** A kafka_topic SINK as it runs: its {@link KafkaSinkSpec} with the operator's name. */
record KafkaSinkConfig(String operator, String topic, String bootstrapServers, RecordFormat format,
                       String keyColumn, Map<String, String> properties, boolean exactlyOnce,
                       String transactionalId, int partitions, Integer replicationFactor) {

  /** The config of a kafka_topic SINK node, its parameters read as the planner reads them. */
  static KafkaSinkConfig parse(StreamOperatorNode node) {
    return of(node.name(), (KafkaSinkSpec) node.spec(SinkSpec.class).connector());
  }

  static KafkaSinkConfig of(String operator, KafkaSinkSpec spec) {
    return new KafkaSinkConfig(operator, spec.topic(), spec.bootstrapServers(),
        RecordFormat.parse(spec.format()), spec.keyColumn(), spec.properties(),
        spec.exactlyOnce(), spec.transactionalId(), spec.partitions(), spec.replicationFactor());
  }
}
