package io.sabot.optimizer.rule;

import io.sabot.error.InvalidJobException;
import io.sabot.error.SabotBug;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.optimizer.PlanContext;
import io.sabot.types.Schema;
import java.util.Map;

/**
 * The last step: the optimized plan must still be a valid job, with the same sinks, each receiving
 * exactly the columns (names, types, order) it received before. Anything else is a bug in a rule,
 * and fails loudly rather than running a different job (such as one with its sink deleted).
 */
public final class SanityCheckPlan {
  private SanityCheckPlan() {}

  public static void check(JobGraph before, JobGraph after, PlanContext context) {
    Map<String, Schema> was;
    Map<String, Schema> is;
    try {
      was = context.schemas(before);
    } catch (InvalidJobException e) {
      throw e; // the user's plan was wrong to begin with
    }
    try {
      is = context.schemas(after);
    } catch (InvalidJobException e) {
      throw new SabotBug("the optimizer produced an invalid plan: " + e.getMessage(), e);
    }
    for (StreamOperatorNode sink : before.operatorsOfType(OperatorType.SINK)) {
      String id = sink.operatorId();
      if (!after.contains(id) || after.operator(id).operatorType() != OperatorType.SINK) {
        throw new SabotBug("the optimizer removed sink " + id);
      }
      if (!was.get(id).equals(is.get(id))) {
        throw new SabotBug("the optimizer changed the columns of sink " + id + " from "
            + was.get(id) + " to " + is.get(id));
      }
    }
    if (after.operatorsOfType(OperatorType.SINK).size() != before.operatorsOfType(OperatorType.SINK).size()) {
      throw new SabotBug("the optimizer changed the number of sinks");
    }
  }
}
