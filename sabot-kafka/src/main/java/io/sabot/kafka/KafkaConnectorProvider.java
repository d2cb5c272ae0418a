package io.sabot.kafka;

import io.sabot.connect.ConnectorProvider;
import io.sabot.connect.Sink;
import io.sabot.connect.Source;
import io.sabot.graph.StreamOperatorNode;
import java.nio.file.Path;

/**
 * Makes the {@code kafka_topic} sources and sinks; found by {@link io.sabot.connect.Connectors}
 * through {@link java.util.ServiceLoader}, so sabot-core needs no Kafka import.
 */
public final class KafkaConnectorProvider implements ConnectorProvider {
  @Override
  public boolean handles(StreamOperatorNode node) {
    return node.parameter("kafka_topic") != null;
  }

  @Override
  public Source source(StreamOperatorNode node, Path baseDir) {
    return new KafkaSource(KafkaSourceConfig.parse(node));
  }

  @Override
  public Sink sink(StreamOperatorNode node, Path baseDir) {
    return new KafkaSink(KafkaSinkConfig.parse(node));
  }
}
