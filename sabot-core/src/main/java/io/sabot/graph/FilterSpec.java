package io.sabot.graph;

import io.sabot.expr.Condition;
import io.sabot.expr.Conditions;
import java.util.List;
import java.util.Map;

/** A FILTER: the rows for which {@code condition} is true go on. */
public record FilterSpec(Condition condition) implements OperatorSpec {
  /** The parameters a FILTER accepts: one predicate, or {@code all} / {@code any} of them. */
  public static final List<String> PARAMETERS = List.of("column", "operator", "value", "all", "any");

  @Override
  public OperatorType type() {
    return OperatorType.FILTER;
  }

  @Override
  public Map<String, Object> toParameters() {
    return condition.toParameters();
  }

  static FilterSpec parse(StreamOperatorNode node, OperatorParameters p) {
    p.checkKeys(PARAMETERS, "a FILTER");
    if (!p.isValid()) return null;
    try {
      return new FilterSpec(Conditions.parse(node.parameters()));
    } catch (IllegalArgumentException e) {
      p.problem(e.getMessage());
      return null;
    }
  }
}
