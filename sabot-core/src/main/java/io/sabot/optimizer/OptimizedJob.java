package io.sabot.optimizer;

import io.sabot.graph.JobGraph;
import java.util.List;
import java.util.Map;

/**
 * What {@link PlanOptimizer#optimize} returns: the plan as written, the optimized plan, what each
 * rule changed (rule name to lines), warnings for the user, and the statistics.
 */
public record OptimizedJob(JobGraph original, JobGraph graph, Map<String, List<String>> changes,
                           List<String> warnings, OptimizationStats stats) {}
