package io.sabot.optimizer.rule;

import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.optimizer.OptimizerRule;
import io.sabot.optimizer.PlanContext;
import io.sabot.optimizer.RuleOutcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Names the fused passes: from each source, every FILTER, SELECT and join probe up to the sink
 * (or up to the table build, for a reference input) runs as one pass over each batch, with no
 * intermediate batch; only the final columns are copied. The graph is unchanged: the executor
 * always runs a pipeline fused; this rule says which operators share a pass and counts them.
 */
public final class FuseOperators implements OptimizerRule {
  @Override
  public RuleOutcome apply(JobGraph plan, PlanContext context) {
    RuleOutcome outcome = RuleOutcome.unchanged(plan);
    for (StreamOperatorNode sink : plan.operatorsOfType(OperatorType.SINK)) {
      describe(plan, sink.operatorId(), outcome, "sink " + sink.operatorId());
    }
    return outcome;
  }

  /** Walks the stream side from {@code top} down to the source; each join's reference side too. */
  private void describe(JobGraph plan, String top, RuleOutcome outcome, String end) {
    List<String> pass = new ArrayList<>();
    String id = top;
    if (plan.operator(id).operatorType() == OperatorType.SINK) id = plan.inputs(id).get(0);
    while (plan.operator(id).operatorType() != OperatorType.SOURCE) {
      pass.add(id);
      List<String> in = plan.inputs(id);
      if (plan.operator(id).operatorType() == OperatorType.HASH_JOIN) {
        describe(plan, in.get(1), outcome, "the table of " + id);
      }
      id = in.get(0);
    }
    Collections.reverse(pass);
    if (pass.isEmpty()) return;
    outcome.change("one pass per batch of " + id + ": " + String.join(" -> ", pass) + " -> " + end)
        .count("operators_fused", pass.size());
  }
}
