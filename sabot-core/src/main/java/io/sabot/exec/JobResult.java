package io.sabot.exec;

import io.sabot.graph.JobGraph;

/** What {@link JobManager#submitJob} returns: the graph that ran and what it did. */
public record JobResult(JobGraph graph, JobSummary summary) {}
