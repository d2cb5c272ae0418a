package io.sabot.connect;

import java.util.List;

/**
 * Contributes source and sink connectors. Every connector, the built-in ones included, comes
 * through this SPI: a provider is registered in
 * {@code META-INF/services/io.sabot.connect.ConnectorProvider} and found by {@link Connectors}
 * with {@link java.util.ServiceLoader}, so sabot-core imports none of a connector's libraries
 * (the sabot-kafka module registers the Kafka topic connectors this way).
 */
public interface ConnectorProvider {
  default List<SourceConnector> sources() {
    return List.of();
  }

  default List<SinkConnector> sinks() {
    return List.of();
  }
}
