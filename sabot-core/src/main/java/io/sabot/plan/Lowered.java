package io.sabot.plan;

import io.sabot.connect.Source;
import io.sabot.graph.OnError;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.physical.ColumnBinding;
import io.sabot.physical.FusedPipeline;
import io.sabot.physical.PipelineStep;
import io.sabot.physical.StepMetrics;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipeline being lowered, from its source up to some operator: immutable, each operator makes a
 * new one. {@code bindings} are the operator's output columns; {@code origins} counts the stream
 * plus the reference tables probed so far.
 */
final class Lowered {
  private final StreamOperatorNode sourceNode;
  private final Source source;
  private final OnError onError;
  private final Path rejectsPath;
  private final int batchSize;
  private final Schema readColumns;
  private final List<PipelineStep> steps;
  private final List<OperatorStep> operators;
  private final List<ColumnBinding> bindings;
  private final List<ReferenceBuild> builds;

  private Lowered(StreamOperatorNode sourceNode, Source source, OnError onError, Path rejectsPath,
                  int batchSize, Schema readColumns, List<PipelineStep> steps,
                  List<OperatorStep> operators, List<ColumnBinding> bindings,
                  List<ReferenceBuild> builds) {
    this.sourceNode = sourceNode;
    this.source = source;
    this.onError = onError;
    this.rejectsPath = rejectsPath;
    this.batchSize = batchSize;
    this.readColumns = readColumns;
    this.steps = List.copyOf(steps);
    this.operators = List.copyOf(operators);
    this.bindings = List.copyOf(bindings);
    this.builds = List.copyOf(builds);
  }

  static Lowered ofSource(StreamOperatorNode node, Source source, OnError onError,
                          Path rejectsPath, int batchSize) {
    List<ColumnBinding> bindings = new ArrayList<>();
    List<Field> fields = source.schema().fields();
    for (int i = 0; i < fields.size(); i++) {
      bindings.add(new ColumnBinding(fields.get(i).name(), 0, i, fields.get(i).type()));
    }
    return new Lowered(node, source, onError, rejectsPath, batchSize, source.schema(), List.of(),
        List.of(), bindings, List.of());
  }

  List<ColumnBinding> bindings() {
    return bindings;
  }

  Source source() {
    return source;
  }

  StreamOperatorNode sourceNode() {
    return sourceNode;
  }

  Schema schema() {
    return JobPlanner.schemaOf(bindings);
  }

  /** How many origins the pipeline has: 1 (the stream) plus one per join so far. */
  int origins() {
    return 1 + builds.size();
  }

  Lowered withFilter(StreamOperatorNode node, List<? extends PipelineStep> filterSteps) {
    List<PipelineStep> s = new ArrayList<>(steps);
    s.addAll(filterSteps);
    List<OperatorStep> ops = new ArrayList<>(operators);
    ops.add(new OperatorStep(node, new FilterMetrics(filterSteps)));
    return new Lowered(sourceNode, source, onError, rejectsPath, batchSize, readColumns, s, ops, bindings, builds);
  }

  Lowered withSelect(StreamOperatorNode node, List<ColumnBinding> selected, PipelineStep counter) {
    if (steps.isEmpty() && builds.isEmpty()) return narrowScan(node, selected, counter);
    List<PipelineStep> s = new ArrayList<>(steps);
    s.add(counter);
    List<OperatorStep> ops = new ArrayList<>(operators);
    ops.add(new OperatorStep(node, (StepMetrics) counter));
    return new Lowered(sourceNode, source, onError, rejectsPath, batchSize, readColumns, s, ops, selected, builds);
  }

  /**
   * A SELECT straight on a source: the source decodes only the selected columns (a CSV or JSON
   * reader skips the others), and the bindings are renumbered to the narrower batch.
   */
  private Lowered narrowScan(StreamOperatorNode node, List<ColumnBinding> selected,
                             PipelineStep counter) {
    java.util.TreeSet<Integer> used = new java.util.TreeSet<>();
    for (ColumnBinding b : selected) used.add(b.index());
    List<Field> read = new ArrayList<>();
    java.util.Map<Integer, Integer> newIndex = new java.util.HashMap<>();
    for (int i : used) {
      newIndex.put(i, read.size());
      read.add(readColumns.field(i));
    }
    List<ColumnBinding> renumbered = new ArrayList<>();
    for (ColumnBinding b : selected) {
      renumbered.add(new ColumnBinding(b.name(), 0, newIndex.get(b.index()), b.type()));
    }
    List<OperatorStep> ops = new ArrayList<>(operators);
    ops.add(new OperatorStep(node, (StepMetrics) counter));
    return new Lowered(sourceNode, source, onError, rejectsPath, batchSize, new Schema(read),
        List.of(counter), ops, renumbered, builds);
  }

  Lowered withJoin(ReferenceBuild build, List<ColumnBinding> output) {
    List<PipelineStep> s = new ArrayList<>(steps);
    s.add(build.probe());
    List<OperatorStep> ops = new ArrayList<>(operators);
    ops.add(new OperatorStep(build.join(), build.probe()));
    List<ReferenceBuild> b = new ArrayList<>(builds);
    b.add(build);
    return new Lowered(sourceNode, source, onError, rejectsPath, batchSize, readColumns, s, ops, output, b);
  }

  /** The finished pipeline; dead letters go to the source's rejects_path or the default. */
  PipelinePlan finish(Path defaultRejects) {
    FusedPipeline pipeline = new FusedPipeline(steps, bindings, origins());
    return new PipelinePlan(sourceNode, source, readColumns, onError,
        rejectsPath != null ? rejectsPath : defaultRejects, batchSize, builds, pipeline, operators);
  }

  /** A FILTER split into several steps (one per part of an `all`) counts as one operator. */
  private static final class FilterMetrics implements StepMetrics {
    private final List<StepMetrics> parts = new ArrayList<>();

    FilterMetrics(List<? extends PipelineStep> steps) {
      for (PipelineStep s : steps) parts.add((StepMetrics) s);
    }

    @Override
    public long rowsIn() {
      return parts.get(0).rowsIn();
    }

    @Override
    public long rowsOut() {
      return parts.get(parts.size() - 1).rowsOut();
    }
  }
}
