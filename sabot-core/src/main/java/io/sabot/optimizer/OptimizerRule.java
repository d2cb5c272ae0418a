package io.sabot.optimizer;

import io.sabot.graph.JobGraph;

/**
 * One rewrite of a job graph. Rules are small and stateless: they read the plan, return a new one
 * (the input is never changed) and say what they changed.
 */
public interface OptimizerRule {
  /** The rule's name, as explain prints it: {@code PushDownFilter}. */
  default String name() {
    return getClass().getSimpleName();
  }

  RuleOutcome apply(JobGraph plan, PlanContext context);
}
