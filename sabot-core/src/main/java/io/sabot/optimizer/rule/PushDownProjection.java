package io.sabot.optimizer.rule;

import io.sabot.graph.FilterSpec;
import io.sabot.graph.JobGraph;
import io.sabot.graph.JoinColumns;
import io.sabot.graph.JoinSpec;
import io.sabot.graph.OperatorType;
import io.sabot.graph.SelectColumn;
import io.sabot.graph.SelectSpec;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.optimizer.OptimizerRule;
import io.sabot.optimizer.PlanContext;
import io.sabot.optimizer.RuleOutcome;
import io.sabot.types.Schema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps only the columns someone downstream reads. Works from each sink up: a sink needs all its
 * columns, a FILTER adds its condition's columns, a SELECT maps names back, a HASH_JOIN needs its
 * keys plus the needed columns of each side. Then:
 *
 * <pre>
 *   SOURCE -> X        becomes   SOURCE -> SELECT(needed) -> X     (the source decodes only those)
 *   any SELECT         is narrowed to the columns read after it
 * </pre>
 *
 * A reference table then stores only the columns the job uses. A stream column whose name a
 * reference column would otherwise take (and so be renamed {@code _right}) is kept, so that no
 * output name changes.
 */
public final class PushDownProjection implements OptimizerRule {
  @Override
  public RuleOutcome apply(JobGraph plan, PlanContext context) {
    Map<String, Schema> schemas = context.schemas(plan);
    Map<String, Set<String>> needed = new HashMap<>();
    for (StreamOperatorNode sink : plan.operatorsOfType(OperatorType.SINK)) {
      String in = plan.inputs(sink.operatorId()).get(0);
      need(plan, schemas, needed, in, new LinkedHashSet<>(schemas.get(in).names()));
    }
    JobGraph out = plan.copy();
    RuleOutcome outcome = new RuleOutcome(out);
    for (StreamOperatorNode select : plan.operatorsOfType(OperatorType.SELECT)) {
      narrowSelect(out, select, needed.getOrDefault(select.operatorId(), Set.of()), outcome);
    }
    for (StreamOperatorNode source : plan.operatorsOfType(OperatorType.SOURCE)) {
      String id = source.operatorId();
      Schema all = schemas.get(id);
      Set<String> keep = needed.getOrDefault(id, Set.of());
      List<String> pruned = new ArrayList<>();
      List<String> kept = new ArrayList<>();
      for (String c : all.names()) {
        if (keep.contains(c)) kept.add(c); else pruned.add(c);
      }
      if (pruned.isEmpty() || kept.isEmpty()) continue;
      String next = plan.outputs(id).get(0);
      if (plan.operator(next).operatorType() == OperatorType.SELECT) {
        // The SELECT on the source (narrowed above) is what the scan reads.
        outcome.change(id + " no longer reads " + pruned + " (SELECT " + next + " on it)");
      } else {
        String name = SplitConjunctions.uniqueName(out, "project_" + id);
        out.insertBetween(id, next, StreamOperatorNode.of(name, SelectSpec.of(kept)));
        outcome.change("inserted SELECT " + name + " " + kept + ": " + id + " no longer reads "
            + pruned);
      }
      outcome.count("projections_pushed", 1).count("columns_pruned", pruned.size());
      outcome.count("columns_pruned." + id, pruned.size());
    }
    return outcome;
  }

  /** Drops the entries of a SELECT whose output nobody reads. */
  private static void narrowSelect(JobGraph out, StreamOperatorNode select, Set<String> keep,
                                   RuleOutcome outcome) {
    List<SelectColumn> columns = select.spec(SelectSpec.class).columns();
    List<SelectColumn> narrowed = new ArrayList<>();
    for (SelectColumn c : columns) {
      if (keep.contains(c.to())) narrowed.add(c);
    }
    if (narrowed.isEmpty() || narrowed.size() == columns.size()) return;
    SelectSpec spec = new SelectSpec(narrowed);
    out.replaceOperator(select.withSpec(spec));
    outcome.change("narrowed SELECT " + select.operatorId() + " to " + spec.toParameters().get("columns"));
  }

  /** Records that {@code columns} of operator {@code id}'s output are read, and recurses up. */
  private void need(JobGraph g, Map<String, Schema> schemas, Map<String, Set<String>> needed,
                    String id, Set<String> columns) {
    needed.computeIfAbsent(id, k -> new LinkedHashSet<>()).addAll(columns);
    StreamOperatorNode node = g.operator(id);
    List<String> inputs = g.inputs(id);
    switch (node.operatorType()) {
      case FILTER: {
        Set<String> up = new LinkedHashSet<>(columns);
        up.addAll(node.spec(FilterSpec.class).condition().columns());
        need(g, schemas, needed, inputs.get(0), up);
        break;
      }
      case SELECT: {
        Map<String, String> renames = node.spec(SelectSpec.class).inputNames();
        Set<String> up = new LinkedHashSet<>();
        for (String c : columns) up.add(renames.getOrDefault(c, c));
        need(g, schemas, needed, inputs.get(0), up);
        break;
      }
      case HASH_JOIN:
        needJoin(g, schemas, needed, node, inputs, columns);
        break;
      default:
        break;
    }
  }

  /** Whether the kept reference columns get the same output names once both sides are pruned. */
  private static boolean namesStay(List<String> streamColumns, List<String> refColumns,
                                   List<String> refKeys, Set<String> stream, Set<String> ref,
                                   Map<String, String> before) {
    List<String> keptStream = new ArrayList<>();
    for (String c : streamColumns) if (stream.contains(c)) keptStream.add(c);
    List<String> keptRef = new ArrayList<>();
    for (String c : refColumns) if (ref.contains(c)) keptRef.add(c);
    Map<String, String> after = JoinColumns.referenceOutputNames(keptStream, keptRef, refKeys);
    for (Map.Entry<String, String> e : after.entrySet()) {
      if (!e.getValue().equals(before.get(e.getKey()))) return false;
    }
    return true;
  }

  private void needJoin(JobGraph g, Map<String, Schema> schemas, Map<String, Set<String>> needed,
                        StreamOperatorNode join, List<String> inputs, Set<String> columns) {
    List<String> streamColumns = schemas.get(inputs.get(0)).names();
    List<String> refColumns = schemas.get(inputs.get(1)).names();
    JoinSpec spec = join.spec(JoinSpec.class);
    List<String> refKeys = spec.rightKey();
    Map<String, String> refOutput = JoinColumns.referenceOutputNames(streamColumns, refColumns, refKeys);
    Set<String> stream = new LinkedHashSet<>(spec.leftKey());
    Set<String> ref = new LinkedHashSet<>(refKeys);
    if (spec.referenceFilter() != null) ref.addAll(spec.referenceFilter().columns());
    for (String c : streamColumns) if (columns.contains(c)) stream.add(c);
    for (Map.Entry<String, String> e : refOutput.entrySet()) {
      if (columns.contains(e.getValue())) {
        ref.add(e.getKey());
        // Keep the stream column this reference column is renamed around, so names stay put.
        if (!e.getValue().equals(e.getKey()) && streamColumns.contains(e.getKey())) {
          stream.add(e.getKey());
        }
      }
    }
    if (!namesStay(streamColumns, refColumns, refKeys, stream, ref, refOutput)) {
      // Pruning would rename a reference column (its _right suffix depends on what else is
      // there): keep both inputs whole rather than change an output name.
      stream.addAll(streamColumns);
      ref.addAll(refColumns);
    }
    need(g, schemas, needed, inputs.get(0), stream);
    need(g, schemas, needed, inputs.get(1), ref);
  }
}
