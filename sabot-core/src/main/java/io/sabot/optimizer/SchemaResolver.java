package io.sabot.optimizer;

import io.sabot.connect.SourceCatalog;
import io.sabot.error.InvalidJobException;
import io.sabot.expr.Condition;
import io.sabot.expr.Conditions;
import io.sabot.graph.FilterSpec;
import io.sabot.graph.JobGraph;
import io.sabot.graph.JoinColumns;
import io.sabot.graph.JoinSpec;
import io.sabot.graph.OperatorType;
import io.sabot.graph.SelectColumn;
import io.sabot.graph.SelectSpec;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every operator's output schema, derived from the graph alone: no physical operator is built
 * and no data is read beyond what the {@link SourceCatalog} learned when it created each source
 * (once per job).
 *
 * <pre>
 *   SOURCE      the source's schema (header, declared schema or sample)
 *   FILTER      its input's schema
 *   SELECT      the picked columns, renamed, in the order given
 *   HASH_JOIN   stream columns, then reference columns minus the right keys
 *               (a taken name gets _right: {@link JoinColumns})
 *   SINK        its input's schema
 * </pre>
 *
 * Problems that stop a schema from being derived (a source that cannot be created, a SELECT or
 * join key naming a missing column, a filter that does not parse or reads a missing column) are
 * collected over the whole graph and thrown once, worded as lowering words them. Problems that do
 * not change a schema (a literal that does not fit its column, key types, batch sizes, sinks) are
 * left to lowering, which checks the whole plan again before anything runs.
 */
public final class SchemaResolver {
  private final SourceCatalog sources;

  public SchemaResolver(SourceCatalog sources) {
    this.sources = sources;
  }

  /**
   * Operator id to output schema, for every operator of {@code plan}.
   *
   * @throws InvalidJobException listing every problem found
   */
  public Map<String, Schema> resolve(JobGraph plan) {
    plan.validate();
    return new Walk(plan).run();
  }

  private final class Walk {
    private final JobGraph plan;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Schema> schemas = new LinkedHashMap<>();
    private final Map<String, Schema> resolved = new HashMap<>();

    Walk(JobGraph plan) {
      this.plan = plan;
    }

    Map<String, Schema> run() {
      for (StreamOperatorNode sink : plan.operatorsOfType(OperatorType.SINK)) {
        Schema input = schema(plan.inputs(sink.operatorId()).get(0));
        if (input != null) schemas.put(sink.operatorId(), input);
        try {
          sink.spec(); // a sink's parameters are checked here too, so explain refuses what run does
        } catch (InvalidJobException e) {
          problems.addAll(e.problems());
        }
      }
      if (!problems.isEmpty()) throw new InvalidJobException(problems);
      return schemas;
    }

    /** The output schema of {@code id}, or null when it has a problem (recorded). */
    private Schema schema(String id) {
      if (resolved.containsKey(id)) return resolved.get(id);
      StreamOperatorNode node = plan.operator(id);
      Schema result;
      try {
        switch (node.operatorType()) {
          case SOURCE: result = sources.source(node, plan.baseDirectory()).schema(); break;
          case FILTER: result = filter(node, schema(plan.inputs(id).get(0))); break;
          case SELECT: result = select(node, schema(plan.inputs(id).get(0))); break;
          case HASH_JOIN: result = join(node, schema(plan.inputs(id).get(0)),
              schema(plan.inputs(id).get(1))); break;
          default:
            throw new InvalidJobException("operator=" + id + " is a " + node.operatorType()
                + " and cannot feed another operator");
        }
      } catch (InvalidJobException e) {
        problems.addAll(e.problems());
        result = null;
      }
      resolved.put(id, result);
      if (result != null) schemas.put(id, result);
      return result;
    }
  }

  private static Schema filter(StreamOperatorNode node, Schema input) {
    Condition condition = node.spec(FilterSpec.class).condition();
    if (input == null) return null;
    List<String> missing = new ArrayList<>();
    for (Condition part : Conditions.conjuncts(condition)) {
      part.columns().stream().filter(c -> !input.contains(c)).findFirst().ifPresent(c ->
          missing.add("column=" + c + " not found in operator " + node.name() + "; available: "
              + String.join(", ", input.names())));
    }
    if (!missing.isEmpty()) throw new InvalidJobException(missing);
    return input;
  }

  private static Schema select(StreamOperatorNode node, Schema input) {
    SelectSpec spec = node.spec(SelectSpec.class);
    if (input == null) return null;
    spec.checkAgainst(node.name(), input.names());
    List<Field> out = new ArrayList<>();
    for (SelectColumn c : spec.columns()) out.add(input.field(c.from()).withName(c.to()));
    return new Schema(out);
  }

  private static Schema join(StreamOperatorNode node, Schema left, Schema right) {
    JoinSpec spec = node.spec(JoinSpec.class);
    if (left == null || right == null) return null;
    List<String> problems = new ArrayList<>();
    for (int k = 0; k < spec.leftKey().size(); k++) {
      String leftKey = spec.leftKey().get(k);
      String rightKey = spec.rightKey().get(k);
      if (!left.contains(leftKey)) {
        problems.add("column=" + leftKey + " (left_key) not found in the stream input of "
            + "operator " + node.name() + "; available: " + String.join(", ", left.names()));
      }
      if (!right.contains(rightKey)) {
        problems.add("column=" + rightKey + " (right_key) not found in the reference input "
            + "of operator " + node.name() + "; available: " + String.join(", ", right.names()));
      }
    }
    if (!problems.isEmpty()) throw new InvalidJobException(problems);
    Map<String, String> names = JoinColumns.referenceOutputNames(left.names(), right.names(),
        spec.rightKey());
    List<Field> out = new ArrayList<>(left.fields());
    names.forEach((from, to) -> out.add(right.field(from).withName(to)));
    return new Schema(out);
  }
}
