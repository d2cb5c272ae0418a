package io.sabot.exec;

import io.sabot.cluster.JobCluster;
import io.sabot.cluster.JobClusterProvider;
import io.sabot.connect.SourceCatalog;
import io.sabot.error.InvalidJobException;
import io.sabot.error.JobExecutionException;
import io.sabot.graph.JobGraph;
import io.sabot.optimizer.OptimizedJob;
import io.sabot.optimizer.PlanOptimizer;
import io.sabot.plan.JobPlanner;
import io.sabot.plan.PhysicalPlan;
import java.util.ServiceLoader;

/**
 * Runs jobs. This one runs them on this machine with {@link LocalExecutor}; the seed's
 * distributed JobManager (agents coordinated through Kafka) builds on the same plan.
 *
 * <pre>{@code
 * JobManager jobManager = new JobManager();
 * JobResult result = jobManager.submitJob(graph);          // optimizes, then runs
 * System.out.println(result.summary().format());
 * }</pre>
 *
 * Each job gets one {@link SourceCatalog}: the optimizer, then lowering, take their sources from
 * it, so each source is created (its schema learned) once per job and its data read once, by the
 * run. The planner has the last word on a job's problems: when the optimizer or lowering of the
 * optimized plan finds the job invalid, the plan as written is lowered (from the same catalog, on
 * this error path only) so the user reads every problem of the job they wrote.
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
   * The jobs of the agents whose Kafka cluster is at {@code bootstrapServers}: submit a job to
   * them, list, cancel ({@link JobCluster}). Needs sabot-kafka on the class path.
   */
  public static JobCluster connect(String bootstrapServers) {
    return connect(bootstrapServers, java.util.Map.of());
  }

  /**
   * As {@link #connect(String)}, connecting with {@code settings} (Kafka client settings such as
   * security.protocol and sasl.*: what a secured cluster asks of its clients).
   */
  public static JobCluster connect(String bootstrapServers, java.util.Map<String, String> settings) {
    for (JobClusterProvider p : ServiceLoader.load(JobClusterProvider.class)) {
      return p.connect(bootstrapServers, settings);
    }
    throw new IllegalStateException("no cluster support on the class path: JobManager.connect "
        + "needs the sabot-kafka module (bin/sabot has it)");
  }

  /**
   * Validates, optimizes (unless this manager runs plans as written) and runs the job to
   * completion.
   *
   * @throws io.sabot.error.InvalidJobException before any data is read, if the job is wrong
   * @throws JobExecutionException if running failed
   */
  public JobResult submitJob(JobGraph graph) {
    SourceCatalog sources = new SourceCatalog();
    if (optimizer == null) {
      return new JobResult(graph, graph, null, run(graph, sources));
    }
    OptimizedJob optimized;
    try {
      optimized = optimizer.optimize(graph, sources);
    } catch (InvalidJobException e) {
      throw asWritten(graph, sources, e);
    }
    return submitJob(optimized);
  }

  /** Runs a job the caller has already optimized; the optimizer's warnings join the summary's. */
  public JobResult submitJob(OptimizedJob optimized) {
    PhysicalPlan plan;
    try {
      plan = JobPlanner.plan(optimized.graph(), optimized.sources());
    } catch (InvalidJobException e) {
      throw asWritten(optimized.original(), optimized.sources(), e);
    }
    JobSummary summary = new LocalExecutor(options).run(plan).withWarnings(optimized.warnings());
    return new JobResult(optimized.original(), optimized.graph(), optimized, summary);
  }

  /**
   * Validates, optimizes and lowers the job as {@link #submitJob(JobGraph)} does, with the same
   * problems when it is wrong, and runs nothing: the plan of a job to be run elsewhere (an
   * agent). {@link PhysicalPlan#graph()} is the graph as optimized.
   *
   * @throws io.sabot.error.InvalidJobException if the job is wrong
   */
  public PhysicalPlan plan(JobGraph graph) {
    SourceCatalog sources = new SourceCatalog();
    if (optimizer == null) return JobPlanner.plan(graph, sources);
    OptimizedJob optimized;
    try {
      optimized = optimizer.optimize(graph, sources);
      return JobPlanner.plan(optimized.graph(), optimized.sources());
    } catch (InvalidJobException e) {
      throw asWritten(graph, sources, e);
    }
  }

  private JobSummary run(JobGraph graph, SourceCatalog sources) {
    PhysicalPlan plan = JobPlanner.plan(graph, sources);
    return new LocalExecutor(options).run(plan);
  }

  /** The problems of the plan as written (lowering finds them all), else {@code found}. */
  private static InvalidJobException asWritten(JobGraph graph, SourceCatalog sources,
                                               InvalidJobException found) {
    try {
      JobPlanner.plan(graph, sources);
    } catch (InvalidJobException e) {
      return e;
    }
    return found;
  }
}
