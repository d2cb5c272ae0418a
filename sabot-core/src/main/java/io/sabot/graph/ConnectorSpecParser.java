package io.sabot.graph;

/**
 * Reads the connector part of a SOURCE or SINK node into a {@link ConnectorSpec}: the one place
 * that knows which connectors exist. {@code graph} only declares it; the implementation lives
 * with the connectors ({@code io.sabot.connect.Connectors}, which asks every connector on the
 * class path, Kafka included) and is found with {@link java.util.ServiceLoader}, so the logical
 * plan depends on no connector.
 */
public interface ConnectorSpecParser {
  /**
   * The connector spec of a SOURCE node. Records every problem on {@code p} (naming the
   * parameter and what is accepted; keys in {@link SourceSpec#PARAMETERS} are every source's
   * and accepted by all) and returns null when there is one.
   */
  ConnectorSpec parseSource(OperatorParameters p);

  /** The connector spec of a SINK node; like {@link #parseSource}. */
  ConnectorSpec parseSink(OperatorParameters p);
}
