package io.sabot.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One operator of a {@link JobGraph}: its type, its name (which is also its id) and its
 * parameters, exactly as the job file gives them.
 *
 * <pre>{@code
 * StreamOperatorNode filter = new StreamOperatorNode(OperatorType.FILTER, "filter_quotes",
 *     Map.of("column", "price", "operator", ">", "value", 100));
 * }</pre>
 *
 * <p>Nodes are immutable; {@link #withParameters} and {@link #withName} return new nodes.
 */
public final class StreamOperatorNode {
  private final OperatorType operatorType;
  private final String name;
  private final Map<String, Object> parameters;

  public StreamOperatorNode(OperatorType operatorType, String name, Map<String, ?> parameters) {
    this.operatorType = Objects.requireNonNull(operatorType, "operatorType");
    this.name = Objects.requireNonNull(name, "name");
    if (name.isBlank()) throw new IllegalArgumentException("operator name must not be blank");
    this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(
        parameters == null ? Map.of() : parameters));
  }

  public StreamOperatorNode(OperatorType operatorType, String name) {
    this(operatorType, name, Map.of());
  }

  /** The operator id: the name, unique within its graph. */
  public String operatorId() {
    return name;
  }

  public String name() {
    return name;
  }

  public OperatorType operatorType() {
    return operatorType;
  }

  /** The parameters as given (strings, numbers, booleans, lists and maps of them). */
  public Map<String, Object> parameters() {
    return parameters;
  }

  public Object parameter(String key) {
    return parameters.get(key);
  }

  public StreamOperatorNode withParameters(Map<String, ?> newParameters) {
    return new StreamOperatorNode(operatorType, name, newParameters);
  }

  public StreamOperatorNode withName(String newName) {
    return new StreamOperatorNode(operatorType, newName, parameters);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof StreamOperatorNode)) return false;
    StreamOperatorNode n = (StreamOperatorNode) o;
    return operatorType == n.operatorType && name.equals(n.name) && parameters.equals(n.parameters);
  }

  @Override
  public int hashCode() {
    return Objects.hash(operatorType, name, parameters);
  }

  @Override
  public String toString() {
    return name + " (" + operatorType + " " + parameters + ")";
  }
}
