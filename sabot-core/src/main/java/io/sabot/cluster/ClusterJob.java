package io.sabot.cluster;

import java.time.Instant;

/**
 * A job on the control topic.
 *
 * @param id          unique per submission: the job's name and a random suffix
 * @param name        the job's {@code job_name}
 * @param submittedAt when it was published
 * @param jobJson     the optimized job as a JSON job file (what agents run, as written)
 */
public record ClusterJob(String id, String name, Instant submittedAt, String jobJson) {
  @Override
  public String toString() {
    return id + " (" + name + ", submitted " + submittedAt + ")";
  }
}
