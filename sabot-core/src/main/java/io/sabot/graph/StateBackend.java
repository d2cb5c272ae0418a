package io.sabot.graph;

/**
 * Where a HASH_JOIN keeps its reference table (job file: {@code state_backend}).
 */
public enum StateBackend {
  /** On the Java heap and in Arrow buffers (the default): the fastest probes. */
  MEMORY("memory"),
  /** In a RocksDB store on local disk, looked up once per stream batch: tables larger than memory. */
  ROCKSDB("rocksdb"),
  /** Memory while the table's size stays within {@code memory_budget}, else RocksDB. */
  AUTO("auto");

  private final String jobName;

  StateBackend(String jobName) {
    this.jobName = jobName;
  }

  /** The name used in job files: {@code memory, rocksdb, auto}. */
  public String jobName() {
    return jobName;
  }

  @Override
  public String toString() {
    return jobName;
  }

  /** The value named so in a job file; {@link #MEMORY} for any other (reported elsewhere). */
  static StateBackend of(String jobName) {
    for (StateBackend b : values()) {
      if (b.jobName.equals(jobName)) return b;
    }
    return MEMORY;
  }
}
