package io.sabot.exec;

import io.sabot.graph.JobGraph;
import io.sabot.plan.JobPlanner;
import io.sabot.plan.PhysicalPlan;

/**
 * Runs jobs. This one runs them on this machine with {@link LocalExecutor}; the seed's
 * distributed JobManager (agents coordinated through Kafka) builds on the same plan.
 *
 * <pre>{@code
 * JobManager jobManager = new JobManager();
 * JobResult result = jobManager.submitJob(graph);
 * System.out.println(result.summary().format());
 * }</pre>
 */
public final class JobManager {
  private final ExecutionOptions options;

  public JobManager() {
    this(ExecutionOptions.defaults());
  }

  public JobManager(ExecutionOptions options) {
    this.options = options;
  }

  /**
   * Validates, plans and runs the job to completion.
   *
   * @throws io.sabot.graph.InvalidJobException before any data is read, if the job is wrong
   * @throws JobExecutionException if running failed
   */
  public JobResult submitJob(JobGraph graph) {
    PhysicalPlan plan = JobPlanner.plan(graph);
    return new JobResult(graph, new LocalExecutor(options).run(plan));
  }
}
