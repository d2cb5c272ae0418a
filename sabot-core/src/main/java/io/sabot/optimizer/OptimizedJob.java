package io.sabot.optimizer;

import io.sabot.connect.SourceCatalog;
import io.sabot.graph.JobGraph;
import java.util.List;
import java.util.Map;

/**
 * What {@link PlanOptimizer#optimize} returns: the plan as written, the optimized plan, what each
 * rule changed (rule name to lines), warnings for the user, the statistics, and the job's
 * sources, each created once while optimizing, for explain and lowering to reuse.
 */
public record OptimizedJob(JobGraph original, JobGraph graph, Map<String, List<String>> changes,
                           List<String> warnings, OptimizationStats stats, SourceCatalog sources) {
  /** A job whose sources are not known yet: they are created again when asked for. */
  public OptimizedJob(JobGraph original, JobGraph graph, Map<String, List<String>> changes,
                      List<String> warnings, OptimizationStats stats) {
    this(original, graph, changes, warnings, stats, new SourceCatalog());
  }
}
