package io.sabot.bench;

import io.sabot.exec.ExecutionOptions;
import io.sabot.exec.JobManager;
import io.sabot.exec.JobResult;
import io.sabot.exec.JobSummary;
import io.sabot.exec.OperatorSummary;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.optimizer.PlanOptimizer;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a job through the engine exactly as {@code sabot run} does (JobGraph, PlanOptimizer,
 * JobManager and its LocalExecutor), or as written ({@code new JobManager(options, null)}), and
 * turns its summary into a {@link Measurement}: the summary's stream-stage rate (timed after the
 * reference tables are built), the joins' build time, the job allocator's Arrow peak and the
 * heap's.
 */
final class EngineRun {
  private final Supplier<JobGraph> job;
  private final JobManager jobManager;
  private JobResult last;

  EngineRun(Supplier<JobGraph> job, int threads, boolean optimize) {
    this(job, threads, optimize, null);
  }

  /** With {@code progress} (null: none) told how the job stands every 10 ms while it runs. */
  EngineRun(Supplier<JobGraph> job, int threads, boolean optimize,
            Consumer<ExecutionOptions.Progress> progress) {
    this.job = job;
    ExecutionOptions options = ExecutionOptions.defaults().withThreads(threads);
    if (progress != null) {
      options = new ExecutionOptions(options.threads(), options.memoryLimit(), progress,
          Duration.ofMillis(10), options.stop());
    }
    this.jobManager = new JobManager(options, optimize ? new PlanOptimizer() : null);
  }

  Measurement run() {
    JobGraph graph = job.get();
    long live = HeapPeak.reset();
    JobResult result = jobManager.submitJob(graph);
    long heap = HeapPeak.read();
    last = result;
    JobSummary s = result.summary();
    if (s.rejectedRecords() != 0) {
      throw new BenchmarkFailure("the engine rejected " + s.rejectedRecords() + " records of the "
          + "generated workload:\n" + s.format());
    }
    long buildMs = 0;
    for (OperatorSummary o : s.operators()) {
      if (o.type() == OperatorType.HASH_JOIN) buildMs += o.detail("build_ms");
    }
    return new Measurement(s.rowsPerSecond(), s.streamNanos(), buildMs, s.wallNanos(), s.rowsOut(),
        s.peakArrowBytes(), heap, live);
  }

  /** The result of the latest run (its plan and full summary). */
  JobResult last() {
    return last;
  }
}
