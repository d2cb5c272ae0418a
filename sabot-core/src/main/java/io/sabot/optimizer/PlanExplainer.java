package io.sabot.optimizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sabot.connect.SourceCatalog;
import io.sabot.graph.FilterSpec;
import io.sabot.graph.JobGraph;
import io.sabot.graph.JoinSpec;
import io.sabot.graph.OnDuplicate;
import io.sabot.graph.OperatorType;
import io.sabot.graph.SelectSpec;
import io.sabot.graph.StateBackend;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.types.Schema;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code sabot explain}: the plan before and after optimization as trees (sink at the top,
 * sources at the leaves; a join's first child is its stream, the second its reference table), each
 * operator with its parameters and output columns, then what each rule did and the statistics.
 * The text is an interface: rule tests assert it.
 */
public final class PlanExplainer {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PlanExplainer() {}

  /** One plan as an indented tree; its sources are created for this call alone. */
  public static String tree(JobGraph plan) {
    return tree(plan, new SourceCatalog());
  }

  /** One plan as an indented tree, its schemas resolved from the job's {@code sources}. */
  public static String tree(JobGraph plan, SourceCatalog sources) {
    Map<String, Schema> schemas = new SchemaResolver(sources).resolve(plan);
    StringBuilder sb = new StringBuilder();
    for (StreamOperatorNode sink : plan.operatorsOfType(OperatorType.SINK)) {
      appendTree(plan, schemas, sink.operatorId(), "", "", sb);
    }
    return sb.toString();
  }

  private static void appendTree(JobGraph plan, Map<String, Schema> schemas, String id,
                                 String indent, String role, StringBuilder sb) {
    StreamOperatorNode n = plan.operator(id);
    sb.append(indent).append(role).append(n.name()).append(' ').append(n.operatorType());
    String params = describe(n);
    if (!params.isEmpty()) sb.append(' ').append(params);
    Schema s = schemas.get(id);
    if (s != null) sb.append("  -> [").append(s.namesForMessage()).append(']');
    sb.append('\n');
    List<String> inputs = plan.inputs(id);
    String childIndent = indent + "  ";
    if (n.operatorType() == OperatorType.HASH_JOIN && inputs.size() == 2) {
      appendTree(plan, schemas, inputs.get(0), childIndent, "stream: ", sb);
      appendTree(plan, schemas, inputs.get(1), childIndent, "reference: ", sb);
    } else {
      for (String in : inputs) appendTree(plan, schemas, in, childIndent, "", sb);
    }
  }

  /** An operator's parameters, the way a reader thinks of them. */
  static String describe(StreamOperatorNode n) {
    switch (n.operatorType()) {
      case FILTER:
        return n.spec(FilterSpec.class).condition().toString();
      case SELECT:
        return n.spec(SelectSpec.class).columns().stream()
            .map(c -> c.from().equals(c.to()) ? c.from() : c.from() + " as " + c.to())
            .collect(Collectors.joining(", "));
      case HASH_JOIN: {
        JoinSpec j = n.spec(JoinSpec.class);
        StringBuilder sb = new StringBuilder();
        sb.append(JoinSpec.asParameter(j.leftKey())).append(" = ")
            .append(JoinSpec.asParameter(j.rightKey()));
        sb.append(", ").append(j.joinType());
        if (j.onDuplicate() != OnDuplicate.LAST) sb.append(", on_duplicate=").append(j.onDuplicate());
        if (j.referenceFilter() != null) sb.append(", reference_filter: ").append(j.referenceFilter());
        if (j.isCoPartitioned()) sb.append(", ").append(j.referencePartitioning());
        // where the table lives, when not the default (memory): the plan shows it as run
        if (j.state().backend() != StateBackend.MEMORY) {
          sb.append(", state_backend=").append(j.state().backend());
          if (j.state().memoryBudget() != null) {
            sb.append(" memory_budget=").append(j.state().memoryBudget());
          }
        }
        if (j.state().refreshMillis() > 0) {
          sb.append(", reference_refresh_ms=").append(j.state().refreshMillis());
        }
        return sb.toString();
      }
      default:
        return n.parameters().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(" "));
    }
  }

  /** Before, after, changes, warnings and statistics, as {@code sabot explain} prints them. */
  public static String text(OptimizedJob job) {
    StringBuilder sb = new StringBuilder();
    sb.append("== plan as written ==\n").append(tree(job.original(), job.sources()));
    sb.append("\n== optimized plan ==\n").append(tree(job.graph(), job.sources()));
    sb.append("\n== what the optimizer did ==\n");
    if (job.changes().isEmpty()) sb.append("  nothing to change\n");
    job.changes().forEach((rule, lines) -> {
      for (String line : lines) sb.append("  ").append(rule).append(": ").append(line).append('\n');
    });
    for (String w : job.warnings()) sb.append("WARNING: ").append(w).append('\n');
    sb.append("\n== statistics ==\n");
    job.stats().asMap().forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v).append('\n'));
    return sb.toString();
  }

  /** {@code {"before": ..., "after": ..., "stats": {...}, "changes": {...}, "warnings": [...]}} */
  public static String json(OptimizedJob job) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("before", treeJson(job.original(), job.sources()));
    root.put("after", treeJson(job.graph(), job.sources()));
    root.put("stats", job.stats().asMap());
    root.put("changes", job.changes());
    root.put("warnings", job.warnings());
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Object> treeJson(JobGraph plan, SourceCatalog sources) {
    Map<String, Schema> schemas = new SchemaResolver(sources).resolve(plan);
    List<Object> sinks = new ArrayList<>();
    for (StreamOperatorNode sink : plan.operatorsOfType(OperatorType.SINK)) {
      sinks.add(nodeJson(plan, schemas, sink.operatorId()));
    }
    return sinks;
  }

  private static Map<String, Object> nodeJson(JobGraph plan, Map<String, Schema> schemas, String id) {
    StreamOperatorNode n = plan.operator(id);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", n.name());
    m.put("type", n.operatorType().name());
    m.put("parameters", n.parameters());
    Schema s = schemas.get(id);
    m.put("columns", s == null ? List.of() : s.fields().stream().map(Object::toString)
        .collect(Collectors.toList()));
    List<Object> inputs = new ArrayList<>();
    for (String in : plan.inputs(id)) inputs.add(nodeJson(plan, schemas, in));
    m.put("inputs", inputs);
    return m;
  }
}
