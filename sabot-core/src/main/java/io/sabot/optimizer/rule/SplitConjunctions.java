package io.sabot.optimizer.rule;

import io.sabot.expr.Condition;
import io.sabot.expr.Conditions;
import io.sabot.graph.FilterSpec;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.optimizer.OptimizerRule;
import io.sabot.optimizer.PlanContext;
import io.sabot.optimizer.RuleOutcome;
import java.util.List;

/**
 * Splits a FILTER whose condition is {@code all: [a, b, c]} into a chain of single-condition
 * FILTERs (named {@code f}, {@code f.2}, {@code f.3}), so that each part can be pushed as far as
 * its own columns allow. A filter is true when all parts are, so the chain is the same filter.
 */
public final class SplitConjunctions implements OptimizerRule {
  @Override
  public RuleOutcome apply(JobGraph plan, PlanContext context) {
    JobGraph out = plan.copy();
    RuleOutcome outcome = new RuleOutcome(out);
    for (StreamOperatorNode f : plan.operatorsOfType(OperatorType.FILTER)) {
      List<Condition> parts = Conditions.conjuncts(f.spec(FilterSpec.class).condition());
      if (parts.size() < 2) continue;
      out.replaceOperator(f.withSpec(new FilterSpec(parts.get(0))));
      String below = f.operatorId();
      for (int i = 1; i < parts.size(); i++) {
        String name = uniqueName(out, f.operatorId() + "." + (i + 1));
        out.insertBetween(out.inputs(below).get(0), below,
            StreamOperatorNode.of(name, new FilterSpec(parts.get(i))));
        below = name;
      }
      outcome.change("split " + f.operatorId() + " (" + Conditions.and(parts) + ") into "
          + parts.size() + " filters");
    }
    return outcome;
  }

  static String uniqueName(JobGraph g, String wanted) {
    String name = wanted;
    for (int i = 2; g.contains(name); i++) name = wanted + "_" + i;
    return name;
  }
}
