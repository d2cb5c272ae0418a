package io.sabot.optimizer;

import io.sabot.graph.JobGraph;
import io.sabot.plan.JobPlanner;
import io.sabot.types.Schema;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What rules may ask about a plan: every operator's output schema (derived by the planner, so
 * rules see exactly the columns the engine will), cached per plan object.
 */
public final class PlanContext {
  private final Map<JobGraph, Map<String, Schema>> schemas = new IdentityHashMap<>();

  /** The output schema of every operator of {@code plan}. */
  public Map<String, Schema> schemas(JobGraph plan) {
    return schemas.computeIfAbsent(plan, JobPlanner::schemas);
  }

  public Schema schema(JobGraph plan, String operatorId) {
    Schema s = schemas(plan).get(operatorId);
    if (s == null) {
      throw new IllegalStateException("no schema for operator " + operatorId);
    }
    return s;
  }
}
