package io.sabot.exec;

import io.sabot.graph.JobGraph;
import io.sabot.optimizer.OptimizedJob;

/**
 * What {@link JobManager#submitJob} returns: the job as written, the plan that ran, the
 * optimizer's report (null when the job ran as written), and what the run did.
 */
public record JobResult(JobGraph graph, JobGraph executedGraph, OptimizedJob optimization,
                        JobSummary summary) {}
