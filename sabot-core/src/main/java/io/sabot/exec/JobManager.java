package io.sabot.exec;

import io.sabot.error.InvalidJobException;
import io.sabot.error.JobExecutionException;
import io.sabot.graph.JobGraph;
import io.sabot.optimizer.OptimizedJob;
import io.sabot.optimizer.PlanOptimizer;
import io.sabot.plan.JobPlanner;
import io.sabot.plan.PhysicalPlan;

/**
 * Runs jobs. This one runs them on this machine with {@link LocalExecutor}; the seed's
 * distributed JobManager (agents coordinated through Kafka) builds on the same plan.
 *
 * <pre>{@code
 * JobManager jobManager = new JobManager();
 * JobResult result = jobManager.submitJob(graph);          // optimizes, then runs
 * System.out.println(result.summary().format());
 * }</pre>
 */
public final class JobManager {
  private final ExecutionOptions options;
  private final PlanOptimizer optimizer;

  /** All cores, every optimizer rule on. */
  public JobManager() {
    this(ExecutionOptions.defaults());
  }

  public JobManager(ExecutionOptions options) {
    this(options, new PlanOptimizer());
  }

  /** {@code optimizer} null runs every job exactly as written. */
  public JobManager(ExecutionOptions options, PlanOptimizer optimizer) {
    this.options = options;
    this.optimizer = optimizer;
  }

  /**
   * Validates, optimizes (unless this manager runs plans as written) and runs the job to
   * completion.
   *
   * @throws io.sabot.error.InvalidJobException before any data is read, if the job is wrong
   * @throws JobExecutionException if running failed
   */
  public JobResult submitJob(JobGraph graph) {
    if (optimizer == null) {
      return new JobResult(graph, graph, null, run(graph));
    }
    return submitJob(optimizer.optimize(graph));
  }

  /** Runs a job the caller has already optimized; the optimizer's warnings join the summary's. */
  public JobResult submitJob(OptimizedJob optimized) {
    JobSummary summary = run(optimized.graph()).withWarnings(optimized.warnings());
    return new JobResult(optimized.original(), optimized.graph(), optimized, summary);
  }

  private JobSummary run(JobGraph graph) {
    PhysicalPlan plan = JobPlanner.plan(graph);
    return new LocalExecutor(options).run(plan);
  }
}
