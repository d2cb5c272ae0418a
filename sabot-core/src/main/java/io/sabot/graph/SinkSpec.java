package io.sabot.graph;

import java.util.Map;

/** A SINK: where the rows go, as its connector describes it. */
public record SinkSpec(ConnectorSpec connector) implements OperatorSpec {
  @Override
  public OperatorType type() {
    return OperatorType.SINK;
  }

  @Override
  public Map<String, Object> toParameters() {
    return connector.toParameters();
  }
}
