package io.sabot.optimizer.rule;

import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.optimizer.OptimizerRule;
import io.sabot.optimizer.PlanContext;
import io.sabot.optimizer.RuleOutcome;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/** Removes operators whose rows reach no sink: they would cost reading and computing, for nothing. */
public final class EliminateDeadOperators implements OptimizerRule {
  @Override
  public RuleOutcome apply(JobGraph plan, PlanContext context) {
    Set<String> live = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    for (StreamOperatorNode sink : plan.operatorsOfType(OperatorType.SINK)) todo.add(sink.operatorId());
    while (!todo.isEmpty()) {
      String id = todo.pop();
      if (live.add(id)) todo.addAll(plan.inputs(id));
    }
    JobGraph out = plan.copy();
    RuleOutcome outcome = new RuleOutcome(out);
    for (StreamOperatorNode n : plan.operators()) {
      if (!live.contains(n.operatorId())) {
        out.removeOperator(n.operatorId());
        outcome.change("removed " + n.operatorType() + " " + n.operatorId()
            + ": its rows reach no sink").count("dead_code_eliminated", 1);
      }
    }
    return outcome;
  }
}
