package io.sabot.differential;

import io.sabot.graph.JobGraph;
import io.sabot.optimizer.PlanOptimizer;
import java.util.Map;
import java.util.Set;

/**
 * One generated job: the graph (its sink writes {@value #OUTPUT}), the input files it reads (name
 * to CSV text), what the row-at-a-time evaluator says the sink must hold, and the counters the
 * engine's summary must report per operator ({@code rows_in}, {@code rows_out}, and for joins
 * {@code matched}, {@code reference_rows}, ...) when the job runs as written.
 *
 * @param rules         the optimizer rules switched on ({@link #RULES}), or null to run the job as
 *                      written
 * @param expectedError null, or a text the message of the job's failure must contain (a join with
 *                      {@code on_duplicate: error} whose reference input has a duplicate key)
 */
record JobCase(long seed, int threads, Set<String> rules, JobGraph graph, Map<String, String> files,
               Table expected, Map<String, Map<String, Long>> counters, String expectedError) {
  static final String OUTPUT = "out.csv";

  /** The optimizer's switches, by the names printed with a failing case. */
  static final Set<String> RULES = Set.of("dead_operators", "filter_pushdown", "join_reordering",
      "contradictions", "projection_pushdown", "fusion");

  /** The optimizer this case runs with, or null. */
  PlanOptimizer optimizer() {
    if (rules == null) return null;
    return new PlanOptimizer()
        .enableDeadCodeElimination(rules.contains("dead_operators"))
        .enableFilterPushdown(rules.contains("filter_pushdown"))
        .enableJoinReordering(rules.contains("join_reordering"))
        .enableContradictionDetection(rules.contains("contradictions"))
        .enableProjectionPushdown(rules.contains("projection_pushdown"))
        .enableOperatorFusion(rules.contains("fusion"));
  }
}
