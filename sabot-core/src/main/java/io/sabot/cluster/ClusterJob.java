package io.sabot.cluster;

import java.time.Instant;
import java.util.List;

/**
 * A job on the control topic.
 *
 * @param id          unique per submission: the job's name and a random suffix
 * @param name        the job's {@code job_name}
 * @param submittedAt when it was published
 * @param jobJson     the optimized job as a JSON job file (what agents run, as written)
 * @param agents      what each agent last reported about it, by agent name (empty until an
 *                    agent has started it)
 */
public record ClusterJob(String id, String name, Instant submittedAt, String jobJson,
                         List<AgentReport> agents) {
  public ClusterJob {
    agents = List.copyOf(agents);
  }

  /** Stream rows read for the job by every agent, as last reported. */
  public long rowsIn() {
    return agents.stream().mapToLong(AgentReport::rowsIn).sum();
  }

  /** Rows written for the job by every agent, as last reported. */
  public long rowsOut() {
    return agents.stream().mapToLong(AgentReport::rowsOut).sum();
  }

  @Override
  public String toString() {
    return id + " (" + name + ", submitted " + submittedAt + ")";
  }
}
