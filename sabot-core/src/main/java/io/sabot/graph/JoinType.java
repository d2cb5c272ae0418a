package io.sabot.graph;

import java.util.Locale;

/** Which stream rows a HASH_JOIN passes on (job file: {@code join_type}). */
public enum JoinType {
  /** Only stream rows with a match (the default). */
  INNER("inner"),
  /** Every stream row; an unmatched one gets nulls in the reference columns. */
  LEFT_OUTER("left outer");

  private final String jobName;

  JoinType(String jobName) {
    this.jobName = jobName;
  }

  /** The name used in job files: {@code inner}, {@code left outer}. */
  public String jobName() {
    return jobName;
  }

  @Override
  public String toString() {
    return jobName;
  }

  /** Parses {@code inner}, {@code left}, {@code left outer}, {@code left_outer} (any case), or null. */
  public static JoinType parse(String text) {
    switch (text.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s_]+", " ")) {
      case "inner": return INNER;
      case "left": case "left outer": return LEFT_OUTER;
      default: return null;
    }
  }
}
