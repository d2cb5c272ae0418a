package io.sabot.graph;

/**
 * Which part of a join's reference table each process reads (job file:
 * {@code reference_partitioning}).
 */
public enum ReferencePartitioning {
  /** Every process reads the whole table (the default): any stream row can find its key. */
  BROADCAST("broadcast"),
  /**
   * Each process reads only the reference partitions numbered as the stream partitions it reads:
   * the stream and the reference topic have the same number of partitions and their records are
   * keyed alike by the join key, so a key's stream rows and its reference row share a partition
   * number.
   */
  CO_PARTITIONED("co_partitioned");

  private final String jobName;

  ReferencePartitioning(String jobName) {
    this.jobName = jobName;
  }

  /** The name used in job files: {@code broadcast, co_partitioned}. */
  public String jobName() {
    return jobName;
  }

  @Override
  public String toString() {
    return jobName;
  }

  /** The value named so in a job file; {@link #BROADCAST} for any other (reported elsewhere). */
  static ReferencePartitioning of(String jobName) {
    for (ReferencePartitioning p : values()) {
      if (p.jobName.equals(jobName)) return p;
    }
    return BROADCAST;
  }
}
