package io.sabot.graph;

import io.sabot.error.SabotBug;
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
 * <p>Nodes are immutable; {@link #withParameters}, {@link #withSpec} and {@link #withName} return
 * new nodes. {@link #spec()} is the typed form of the parameters, parsed once per node.
 */
public final class StreamOperatorNode {
  private final OperatorType operatorType;
  private final String name;
  private final Map<String, Object> parameters;
  /** Parsed on first use; not part of equality (it follows from the parameters). */
  private volatile OperatorSpec spec;

  public StreamOperatorNode(OperatorType operatorType, String name, Map<String, ?> parameters) {
    this.operatorType = Objects.requireNonNull(operatorType, "operatorType");
    this.name = Objects.requireNonNull(name, "name");
    if (name.isBlank()) throw new IllegalArgumentException("operator name must not be blank");
    this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(
        parameters == null ? Map.of() : parameters));
  }

  /** A node whose parameters are {@code spec}'s. */
  public static StreamOperatorNode of(String name, OperatorSpec spec) {
    StreamOperatorNode node = new StreamOperatorNode(spec.type(), name, spec.toParameters());
    node.spec = spec;
    return node;
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

  /**
   * The typed form of the parameters, parsed and checked on the first call.
   *
   * @throws io.sabot.error.InvalidJobException listing every bad parameter of this operator
   */
  public OperatorSpec spec() {
    OperatorSpec s = spec;
    if (s == null) {
      s = OperatorSpecs.parse(this);
      spec = s;
    }
    return s;
  }

  /** {@link #spec()} as the kind this operator's type has, e.g. {@code spec(JoinSpec.class)}. */
  public <T extends OperatorSpec> T spec(Class<T> kind) {
    OperatorSpec s = spec();
    if (!kind.isInstance(s)) {
      throw new SabotBug("operator " + name + " is a " + operatorType + ", not a "
          + kind.getSimpleName());
    }
    return kind.cast(s);
  }

  /** This node with {@code newSpec}'s parameters (same name; the type must match). */
  public StreamOperatorNode withSpec(OperatorSpec newSpec) {
    if (newSpec.type() != operatorType) {
      throw new SabotBug("operator " + name + " is a " + operatorType
          + "; cannot give it a " + newSpec.type() + " spec");
    }
    return of(name, newSpec);
  }

  public StreamOperatorNode withParameters(Map<String, ?> newParameters) {
    return new StreamOperatorNode(operatorType, name, newParameters);
  }

  public StreamOperatorNode withName(String newName) {
    // parsed again: a default may follow the name (a Kafka source's group_id is sabot-NAME)
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
