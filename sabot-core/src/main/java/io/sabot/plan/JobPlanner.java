package io.sabot.plan;

import io.sabot.connect.Connectors;
import io.sabot.connect.Sink;
import io.sabot.connect.SinkContext;
import io.sabot.connect.Source;
import io.sabot.connect.SourceCatalog;
import io.sabot.error.InvalidJobException;
import io.sabot.expr.Condition;
import io.sabot.expr.Conditions;
import io.sabot.graph.FilterSpec;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.SelectColumn;
import io.sabot.graph.SelectSpec;
import io.sabot.graph.SinkSpec;
import io.sabot.graph.SourceSpec;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.physical.ColumnBinding;
import io.sabot.physical.CountingExec;
import io.sabot.physical.FilterBinder;
import io.sabot.physical.FilterExec;
import io.sabot.physical.PipelineStep;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Lowers a validated {@link JobGraph} to a {@link PhysicalPlan}, deriving every operator's schema
 * on the way. Walks from each sink up its first inputs to the stream source; the second input of a
 * join is lowered the same way into the pipeline that builds its reference table.
 *
 * <pre>
 *   SINK ◄─ SELECT ◄─ HASH_JOIN ◄─ FILTER ◄─ SOURCE(quotes)      stream pipeline
 *                         ▲
 *                         └──── SELECT ◄─ SOURCE(securities)     reference build pipeline
 * </pre>
 *
 * Every problem found is collected and thrown once, as an {@link InvalidJobException}, before any
 * data is read.
 */
public final class JobPlanner {

  private final JobGraph graph;
  private final SourceCatalog sources;
  private final List<String> problems = new ArrayList<>();
  private final Map<String, Schema> schemas = new LinkedHashMap<>();
  private final Map<String, Lowered> lowered = new LinkedHashMap<>();

  private JobPlanner(JobGraph graph, SourceCatalog sources) {
    this.graph = graph;
    this.sources = sources;
  }

  /** Validates and lowers the graph; throws InvalidJobException listing every problem. */
  public static PhysicalPlan plan(JobGraph graph) {
    return plan(graph, new SourceCatalog());
  }

  /**
   * Validates and lowers the graph, taking each source from the job's {@code sources} (the ones
   * the optimizer already created, so no source is opened twice); throws InvalidJobException
   * listing every problem.
   */
  public static PhysicalPlan plan(JobGraph graph, SourceCatalog sources) {
    graph.validate();
    return new JobPlanner(graph, sources).lowerAll();
  }

  /** Every operator's output schema, derived without reading data (beyond a schema sample). */
  public static Map<String, Schema> schemas(JobGraph graph) {
    return plan(graph).schemas();
  }

  private PhysicalPlan lowerAll() {
    List<SinkPlan> sinks = new ArrayList<>();
    for (StreamOperatorNode sinkNode : graph.operatorsOfType(OperatorType.SINK)) {
      Lowered input = lower(graph.inputs(sinkNode.operatorId()).get(0));
      Sink sink = null;
      try {
        sink = Connectors.sink(sinkNode, new SinkContext(graph.baseDirectory(),
            input == null ? null : input.source(),
            input == null ? null : input.sourceNode().name(), System.out));
      } catch (InvalidJobException e) {
        problems.addAll(e.problems());
      }
      if (input != null) schemas.put(sinkNode.name(), input.schema());
      if (input != null && sink != null) {
        sinks.add(new SinkPlan(sinkNode, sink, input.finish(defaultRejects(sinkNode))));
      }
    }
    problems.addAll(OutputPaths.problems(graph));
    if (!problems.isEmpty()) throw new InvalidJobException(problems);
    return new PhysicalPlan(graph, sinks, schemas);
  }

  /**
   * Dead letters go beside the sink's file, else beside the job file, named for the job. The job
   * name is made a plain file name (letters, digits, '.', '_' and '-'; anything else, and leading
   * dots, become '_'), so a name like {@code ../x/evil} cannot put the file outside the job's folder.
   */
  private Path defaultRejects(StreamOperatorNode sinkNode) {
    String path = sinkNode.spec(SinkSpec.class).connector().path();
    if (path != null) return graph.baseDirectory().resolve(path + ".rejects.jsonl");
    String name = graph.jobName().replaceAll("[^A-Za-z0-9._-]", "_");
    int dots = 0;
    while (dots < name.length() && name.charAt(dots) == '.') dots++;
    name = "_".repeat(dots) + name.substring(dots);
    return graph.baseDirectory().resolve((name.isEmpty() ? "job" : name) + ".rejects.jsonl");
  }

  /** The pipeline ending at operator {@code id}, or null when it has a problem (recorded). */
  private Lowered lower(String id) {
    if (lowered.containsKey(id)) return lowered.get(id);
    StreamOperatorNode node = graph.operator(id);
    Lowered result;
    try {
      switch (node.operatorType()) {
        case SOURCE: result = lowerSource(node); break;
        case FILTER: result = lowerFilter(node); break;
        case SELECT: result = lowerSelect(node); break;
        case HASH_JOIN: result = JoinLowering.lower(node, lower(graph.inputs(id).get(0)),
            lower(graph.inputs(id).get(1))); break;
        default:
          throw new InvalidJobException("operator=" + id + " is a " + node.operatorType()
              + " and cannot feed another operator");
      }
    } catch (InvalidJobException e) {
      problems.addAll(e.problems());
      result = null;
    }
    lowered.put(id, result);
    if (result != null) schemas.put(id, result.schema());
    return result;
  }

  private Lowered lowerSource(StreamOperatorNode node) {
    SourceSpec spec = node.spec(SourceSpec.class);
    Source source = sources.source(node, graph.baseDirectory());
    Path rejectsPath = spec.rejectsPath() == null ? null
        : graph.baseDirectory().resolve(spec.rejectsPath());
    return Lowered.ofSource(node, source, spec.onError(), rejectsPath, spec.batchSize());
  }

  private Lowered lowerFilter(StreamOperatorNode node) {
    Lowered input = lower(graph.inputs(node.operatorId()).get(0)); // its problems first
    Condition condition = node.spec(FilterSpec.class).condition();
    if (input == null) return null;
    List<InvalidJobException> bindProblems = new ArrayList<>();
    List<PipelineStep> steps = new ArrayList<>();
    // Each part of an `all` is its own step, so every part narrows the rows the next one reads.
    for (Condition part : Conditions.conjuncts(condition)) {
      try {
        steps.add(new FilterExec(new FilterBinder(input.bindings(), node.name()).bind(part)));
      } catch (IllegalArgumentException e) {
        bindProblems.add(new InvalidJobException(e.getMessage()));
      }
    }
    if (!bindProblems.isEmpty()) {
      throw new InvalidJobException(bindProblems.stream().flatMap(e -> e.problems().stream())
          .collect(Collectors.toList()));
    }
    return input.withFilter(node, steps);
  }

  private Lowered lowerSelect(StreamOperatorNode node) {
    Lowered input = lower(graph.inputs(node.operatorId()).get(0)); // its problems first
    SelectSpec spec = node.spec(SelectSpec.class);
    if (input == null) return null;
    Map<String, ColumnBinding> byName = new LinkedHashMap<>();
    for (ColumnBinding b : input.bindings()) byName.put(b.name(), b);
    spec.checkAgainst(node.name(), List.copyOf(byName.keySet()));
    List<ColumnBinding> out = new ArrayList<>();
    for (SelectColumn c : spec.columns()) out.add(byName.get(c.from()).withName(c.to()));
    return input.withSelect(node, out, new CountingExec());
  }

  static Schema schemaOf(List<ColumnBinding> bindings) {
    return new Schema(bindings.stream().map(ColumnBinding::field).collect(Collectors.toList()));
  }

  static List<Field> fields(List<ColumnBinding> bindings) {
    return bindings.stream().map(ColumnBinding::field).collect(Collectors.toList());
  }
}
