package io.sabot.optimizer.rule;

import io.sabot.expr.CompareOp;
import io.sabot.expr.Condition;
import io.sabot.expr.Conditions;
import io.sabot.graph.FilterSpec;
import io.sabot.graph.JobGraph;
import io.sabot.graph.JoinColumns;
import io.sabot.graph.JoinSpec;
import io.sabot.graph.JoinType;
import io.sabot.graph.OperatorType;
import io.sabot.graph.SelectSpec;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.optimizer.OptimizerRule;
import io.sabot.optimizer.PlanContext;
import io.sabot.optimizer.RuleOutcome;
import io.sabot.types.Schema;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Moves each FILTER as close to its source as its columns allow, so fewer rows are decoded,
 * probed and copied:
 *
 * <pre>
 *   below a SELECT        always; renamed columns are renamed back
 *   below a HASH_JOIN     into the stream input, when it reads only stream columns;
 *                         when it reads only reference columns and the join is inner: into
 *                         the reference input (before the table is built) if the join keeps
 *                         every duplicate ({@code on_duplicate: all}); otherwise into the
 *                         join's {@code reference_filter}, applied to the built table after
 *                         duplicates are resolved (filtering first could change which
 *                         duplicate wins);
 *                         for a left outer join, only when the condition is false on nulls: then
 *                         the filter already drops every unmatched row, the join becomes inner,
 *                         and the result is identical
 * </pre>
 *
 * A condition that reads columns of both join inputs stays above the join. Filters commute, so a
 * filter can pass other filters on its way down. Output schemas never change.
 */
public final class PushDownFilter implements OptimizerRule {
  @Override
  public RuleOutcome apply(JobGraph plan, PlanContext context) {
    Map<String, Schema> schemas = context.schemas(plan);
    JobGraph out = plan.copy();
    RuleOutcome outcome = new RuleOutcome(out);
    boolean moved = true;
    while (moved) {
      moved = false;
      for (StreamOperatorNode f : out.operatorsOfType(OperatorType.FILTER)) {
        if (push(out, schemas, out.operator(f.operatorId()), outcome)) moved = true;
      }
    }
    return outcome;
  }

  private boolean push(JobGraph g, Map<String, Schema> schemas, StreamOperatorNode f,
                       RuleOutcome outcome) {
    String across = g.inputs(f.operatorId()).get(0);
    while (g.operator(across).operatorType() == OperatorType.FILTER) {
      across = g.inputs(across).get(0);
    }
    StreamOperatorNode op = g.operator(across);
    Condition c = f.spec(FilterSpec.class).condition();
    if (op.operatorType() == OperatorType.SELECT) {
      Map<String, String> renamed = op.spec(SelectSpec.class).inputNames();
      Condition below = rename(c, renamed);
      move(g, f, below, g.inputs(across).get(0), across);
      outcome.change("pushed " + f.operatorId() + " (" + c + ") below SELECT " + across
          + (below.equals(c) ? "" : " as (" + below + ")")).count("filters_pushed", 1);
      return true;
    }
    if (op.operatorType() != OperatorType.HASH_JOIN) return false;
    String streamInput = g.inputs(across).get(0);
    String refInput = g.inputs(across).get(1);
    List<String> streamColumns = schemaOf(g, schemas, streamInput).names();
    if (streamColumns.containsAll(c.columns())) {
      move(g, f, c, streamInput, across);
      outcome.change("pushed " + f.operatorId() + " (" + c + ") below HASH_JOIN " + across
          + " into its stream input").count("filters_pushed", 1);
      return true;
    }
    JoinSpec join = op.spec(JoinSpec.class);
    Map<String, String> refNames = JoinColumns.referenceOutputNames(streamColumns,
        schemaOf(g, schemas, refInput).names(), join.rightKey());
    Map<String, String> outputToRef = new HashMap<>();
    refNames.forEach((ref, output) -> outputToRef.put(output, ref));
    if (!outputToRef.keySet().containsAll(c.columns())) return false;
    if (join.isLeftOuter()) {
      if (!falseOnNull(c)) return false;
      join = join.withJoinType(JoinType.INNER);
      g.replaceOperator(op.withSpec(join));
      outcome.change("HASH_JOIN " + across + " becomes inner: " + f.operatorId() + " (" + c
          + ") is false on the nulls of unmatched rows, so it drops them anyway")
          .count("joins_simplified", 1);
    }
    Condition below = rename(c, outputToRef);
    if (!join.keepsEveryDuplicate()) {
      // One row is kept per key (last, first, error): filtering the input before the build
      // could change which duplicate wins. The join filters its built table instead.
      Condition existing = join.referenceFilter();
      Condition merged = existing == null ? below : Conditions.and(List.of(existing, below));
      g.replaceOperator(op.withSpec(join.withReferenceFilter(merged)));
      g.bypass(f.operatorId());
      outcome.change("moved " + f.operatorId() + " (" + c + ") into HASH_JOIN " + across
          + " as reference_filter (" + below + "): applied once per reference row, after "
          + "duplicates are resolved").count("filters_pushed", 1);
      return true;
    }
    move(g, f, below, refInput, across);
    outcome.change("pushed " + f.operatorId() + " (" + c + ") below HASH_JOIN " + across
        + " into its reference input" + (below.equals(c) ? "" : " as (" + below + ")"))
        .count("filters_pushed", 1);
    return true;
  }

  /** Takes the filter out of its place and puts it, with condition c, on from -> to. */
  private static void move(JobGraph g, StreamOperatorNode f, Condition c, String from, String to) {
    g.bypass(f.operatorId());
    g.insertBetween(from, to, f.withSpec(new FilterSpec(c)));
  }

  /** A filter has the schema of its input; every other operator's schema is unchanged by this rule. */
  private static Schema schemaOf(JobGraph g, Map<String, Schema> schemas, String id) {
    while (g.operator(id).operatorType() == OperatorType.FILTER) {
      id = g.inputs(id).get(0);
    }
    return schemas.get(id);
  }

  /** True when the condition is false whenever all its columns are null. */
  static boolean falseOnNull(Condition c) {
    if (c instanceof Condition.Predicate) return ((Condition.Predicate) c).op() != CompareOp.IS_NULL;
    if (c instanceof Condition.All) return ((Condition.All) c).parts().stream().anyMatch(PushDownFilter::falseOnNull);
    return ((Condition.Any) c).parts().stream().allMatch(PushDownFilter::falseOnNull);
  }

  static Condition rename(Condition c, Map<String, String> names) {
    if (c instanceof Condition.Predicate) {
      Condition.Predicate p = (Condition.Predicate) c;
      return new Condition.Predicate(names.getOrDefault(p.column(), p.column()), p.op(), p.value());
    }
    if (c instanceof Condition.All) {
      return new Condition.All(((Condition.All) c).parts().stream().map(x -> rename(x, names))
          .collect(Collectors.toList()));
    }
    return new Condition.Any(((Condition.Any) c).parts().stream().map(x -> rename(x, names))
        .collect(Collectors.toList()));
  }
}
