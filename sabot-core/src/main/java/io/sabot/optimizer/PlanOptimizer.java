package io.sabot.optimizer;

import io.sabot.connect.SourceCatalog;
import io.sabot.graph.JobGraph;
import io.sabot.optimizer.rule.DetectContradictions;
import io.sabot.optimizer.rule.EliminateDeadOperators;
import io.sabot.optimizer.rule.FuseOperators;
import io.sabot.optimizer.rule.PushDownFilter;
import io.sabot.optimizer.rule.PushDownProjection;
import io.sabot.optimizer.rule.ReorderJoins;
import io.sabot.optimizer.rule.SanityCheckPlan;
import io.sabot.optimizer.rule.SplitConjunctions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a job so that a badly written one runs as if written well: filters as early as their
 * columns allow, only the needed columns decoded and stored, the most selective join first.
 *
 * <pre>{@code
 * OptimizedJob optimized = new PlanOptimizer().optimize(graph);
 * new JobManager().submitJob(optimized.graph());
 * }</pre>
 *
 * The rules run in this order, each for a reason:
 * <ol>
 *   <li>{@code EliminateDeadOperators}: first, so no rule works on operators that never run;</li>
 *   <li>{@code SplitConjunctions}: so each part of an {@code all} can move on its own;</li>
 *   <li>{@code PushDownFilter}: before the joins are ordered and columns counted, since both
 *       depend on where the filters end up;</li>
 *   <li>{@code ReorderJoins}: with filters in place, the reference inputs' sizes are final;</li>
 *   <li>{@code DetectContradictions}: after pushdown, conditions on one column sit together;</li>
 *   <li>{@code PushDownProjection}: after every move, so each filter's columns are asked for
 *       where it now sits;</li>
 *   <li>{@code FuseOperators}: last, it describes the passes of the final plan;</li>
 * </ol>
 * and then {@link SanityCheckPlan}, which fails loudly if the plan's sinks would receive anything
 * other than what they received before.
 */
public final class PlanOptimizer {
  private boolean filterPushdown = true;
  private boolean projectionPushdown = true;
  private boolean joinReordering = true;
  private boolean operatorFusion = true;
  private boolean deadCodeElimination = true;
  private boolean contradictionDetection = true;

  /** Every rule on. */
  public PlanOptimizer() {}

  /** The seed's two switches; the other rules stay on. */
  public PlanOptimizer(boolean enableFilterPushdown, boolean enableProjectionPushdown) {
    this.filterPushdown = enableFilterPushdown;
    this.projectionPushdown = enableProjectionPushdown;
  }

  public PlanOptimizer enableFilterPushdown(boolean on) {
    filterPushdown = on;
    return this;
  }

  public PlanOptimizer enableProjectionPushdown(boolean on) {
    projectionPushdown = on;
    return this;
  }

  public PlanOptimizer enableJoinReordering(boolean on) {
    joinReordering = on;
    return this;
  }

  public PlanOptimizer enableOperatorFusion(boolean on) {
    operatorFusion = on;
    return this;
  }

  public PlanOptimizer enableDeadCodeElimination(boolean on) {
    deadCodeElimination = on;
    return this;
  }

  public PlanOptimizer enableContradictionDetection(boolean on) {
    contradictionDetection = on;
    return this;
  }

  /** The rules that are switched on, in order. */
  public List<OptimizerRule> rules() {
    List<OptimizerRule> rules = new ArrayList<>();
    if (deadCodeElimination) rules.add(new EliminateDeadOperators());
    if (filterPushdown) {
      rules.add(new SplitConjunctions());
      rules.add(new PushDownFilter());
    }
    if (joinReordering) rules.add(new ReorderJoins());
    if (contradictionDetection) rules.add(new DetectContradictions());
    if (projectionPushdown) rules.add(new PushDownProjection());
    if (operatorFusion) rules.add(new FuseOperators());
    return rules;
  }

  /**
   * Resolves the job's schemas, then applies the rules; each source is created once, in a
   * catalog of this job's own.
   *
   * @throws io.sabot.error.InvalidJobException if the job as written is invalid
   */
  public OptimizedJob optimize(JobGraph graph) {
    return optimize(graph, new SourceCatalog());
  }

  /**
   * Resolves the job's schemas from {@code sources}, then applies the rules. The returned job
   * carries {@code sources}, so explain and lowering create no source again.
   *
   * @throws io.sabot.graph.InvalidJobException if the job as written is invalid (every problem
   *     that stops a schema from being derived; lowering checks the rest)
   */
  public OptimizedJob optimize(JobGraph graph, SourceCatalog sources) {
    long start = System.nanoTime();
    PlanContext context = new PlanContext(sources);
    context.schemas(graph); // the plan as written: user errors surface here, before any rule
    JobGraph plan = graph;
    Map<String, List<String>> changes = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    Map<String, Long> counters = new LinkedHashMap<>();
    for (OptimizerRule rule : rules()) {
      RuleOutcome outcome = rule.apply(plan, context);
      plan = outcome.plan();
      if (!outcome.changes().isEmpty()) changes.put(rule.name(), outcome.changes());
      warnings.addAll(outcome.warnings());
      outcome.counters().forEach((k, v) -> counters.merge(k, v, Long::sum));
    }
    SanityCheckPlan.check(graph, plan, context);
    double millis = (System.nanoTime() - start) / 1e6;
    return new OptimizedJob(graph, plan, changes, warnings, OptimizationStats.from(counters, millis),
        sources);
  }
}
