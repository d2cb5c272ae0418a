package io.sabot.optimizer.rule;

import io.sabot.graph.JobGraph;
import io.sabot.graph.JoinColumns;
import io.sabot.graph.JoinSpec;
import io.sabot.graph.JoinType;
import io.sabot.graph.OperatorType;
import io.sabot.graph.SelectColumn;
import io.sabot.graph.SelectSpec;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.optimizer.OptimizerRule;
import io.sabot.optimizer.PlanContext;
import io.sabot.optimizer.RuleOutcome;
import io.sabot.optimizer.SourceStatistics;
import io.sabot.types.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Probes the more selective of two chained inner joins first, so the second probes fewer rows:
 *
 * <pre>
 *   J2(J1(stream, big), small)   becomes   SELECT(original columns) ◄ J1(J2(stream, small), big)
 * </pre>
 *
 * Selectivity is estimated from the reference inputs' sizes ({@link SourceStatistics}): a
 * smaller table holds fewer keys, so fewer stream rows find a match. Fires only when both joins
 * are inner with one match per key (so row order and count cannot change), the second join's
 * keys are stream columns (not brought in by the first), and both sizes are known and differ by
 * at least 2x. A SELECT on top restores the original column order and names.
 */
public final class ReorderJoins implements OptimizerRule {
  @Override
  public RuleOutcome apply(JobGraph plan, PlanContext context) {
    Map<String, Schema> schemas = context.schemas(plan);
    JobGraph out = plan.copy();
    RuleOutcome outcome = new RuleOutcome(out);
    for (StreamOperatorNode j2 : plan.operatorsOfType(OperatorType.HASH_JOIN)) {
      String j1Id = plan.inputs(j2.operatorId()).get(0);
      StreamOperatorNode j1 = plan.operator(j1Id);
      if (j1.operatorType() != OperatorType.HASH_JOIN || !reorderable(j1) || !reorderable(j2)) continue;
      String stream = plan.inputs(j1Id).get(0);
      String r1 = plan.inputs(j1Id).get(1);
      String r2 = plan.inputs(j2.operatorId()).get(1);
      List<String> streamCols = schemas.get(stream).names();
      if (!streamCols.containsAll(j2.spec(JoinSpec.class).leftKey())) continue;
      OptionalLong rows1 = SourceStatistics.estimateRows(plan, r1, context.sources());
      OptionalLong rows2 = SourceStatistics.estimateRows(plan, r2, context.sources());
      if (rows1.isEmpty() || rows2.isEmpty() || rows2.getAsLong() * 2 > rows1.getAsLong()) continue;
      swap(out, schemas, j1, j2, stream, r1, r2, streamCols);
      outcome.change("probe " + j2.operatorId() + " (reference ~" + rows2.getAsLong() + " rows) before "
          + j1Id + " (reference ~" + rows1.getAsLong() + " rows): the smaller table is likely "
          + "the more selective").count("joins_reordered", 1);
    }
    return outcome;
  }

  private static boolean reorderable(StreamOperatorNode join) {
    JoinSpec spec = join.spec(JoinSpec.class);
    return spec.joinType() == JoinType.INNER && !spec.keepsEveryDuplicate();
  }

  private static void swap(JobGraph g, Map<String, Schema> schemas, StreamOperatorNode j1,
                           StreamOperatorNode j2, String stream, String r1, String r2,
                           List<String> streamCols) {
    List<String> r1Cols = schemas.get(r1).names();
    List<String> r2Cols = schemas.get(r2).names();
    List<String> r1Keys = j1.spec(JoinSpec.class).rightKey();
    List<String> r2Keys = j2.spec(JoinSpec.class).rightKey();
    // Names as written: stream, then r1, then r2.
    Map<String, String> r1Was = JoinColumns.referenceOutputNames(streamCols, r1Cols, r1Keys);
    List<String> afterJ1 = new ArrayList<>(streamCols);
    afterJ1.addAll(r1Was.values());
    Map<String, String> r2Was = JoinColumns.referenceOutputNames(afterJ1, r2Cols, r2Keys);
    // Names once swapped: stream, then r2, then r1.
    Map<String, String> r2Is = JoinColumns.referenceOutputNames(streamCols, r2Cols, r2Keys);
    List<String> afterJ2 = new ArrayList<>(streamCols);
    afterJ2.addAll(r2Is.values());
    Map<String, String> r1Is = JoinColumns.referenceOutputNames(afterJ2, r1Cols, r1Keys);

    List<SelectColumn> restore = new ArrayList<>();
    for (String c : streamCols) restore.add(new SelectColumn(c, c));
    r1Was.forEach((c, was) -> restore.add(new SelectColumn(r1Is.get(c), was)));
    r2Was.forEach((c, was) -> restore.add(new SelectColumn(r2Is.get(c), was)));

    String parent = g.outputs(j2.operatorId()).get(0);
    // stream -> j2 (with r2) -> j1 (with r1) -> SELECT -> parent, in j2's place among parent's inputs
    String select = SplitConjunctions.uniqueName(g, "restore_columns_" + j2.operatorId());
    g.addOperator(StreamOperatorNode.of(select, new SelectSpec(restore)));
    g.replaceInput(parent, j2.operatorId(), select);
    g.removeOperator(j1.operatorId());
    g.removeOperator(j2.operatorId());
    g.addOperator(j2);
    g.addOperator(j1);
    g.connect(stream, j2.operatorId());
    g.connect(r2, j2.operatorId());
    g.connect(j2.operatorId(), j1.operatorId());
    g.connect(r1, j1.operatorId());
    g.connect(j1.operatorId(), select);
  }
}
