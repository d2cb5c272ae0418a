package io.sabot.connect;

import io.sabot.graph.StreamOperatorNode;
import java.nio.file.Path;

/**
 * Connectors that live in other modules (sabot-kafka), found with {@link java.util.ServiceLoader}
 * so that sabot-core imports none of their libraries. {@link Connectors} asks every provider on
 * the class path, in class-path order, before it reports a connector as unavailable.
 *
 * <p>A provider is registered in {@code META-INF/services/io.sabot.connect.ConnectorProvider}.
 * Its methods are called while a job is planned; like {@link Connectors}, they check every
 * parameter and throw {@link io.sabot.error.InvalidJobException} naming the operator, the
 * parameter and what is accepted, before any data is read.
 */
public interface ConnectorProvider {
  /** True when this provider builds the source or sink {@code node} describes. */
  boolean handles(StreamOperatorNode node);

  /** The source of a SOURCE node this provider {@link #handles}. */
  Source source(StreamOperatorNode node, Path baseDir);

  /** The sink of a SINK node this provider {@link #handles}. */
  Sink sink(StreamOperatorNode node, Path baseDir);
}
