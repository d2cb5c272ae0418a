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

  /**
   * Records behind the stream's end, summed over the agents that know theirs (-1 when none
   * does: no agent reads the stream now).
   */
  public long lag() {
    return agents.stream().filter(a -> a.lag() >= 0).mapToLong(AgentReport::lag)
        .reduce(Long::sum).orElse(-1);
  }

  /** Stream partitions read now, over every agent. */
  public int partitionCount() {
    return agents.stream().mapToInt(AgentReport::partitionCount).sum();
  }

  /**
   * The job's state over its agents: running while one runs it, else failed when one failed
   * it, else stopped when one stopped it, else finished; submitted when no agent reported yet.
   */
  public String state() {
    if (agents.isEmpty()) return "submitted";
    for (String s : List.of("running", "failed", "stopped")) {
      if (agents.stream().anyMatch(a -> a.state().equals(s))) return s;
    }
    return "finished";
  }

  @Override
  public String toString() {
    return id + " (" + name + ", submitted " + submittedAt + ")";
  }
}
