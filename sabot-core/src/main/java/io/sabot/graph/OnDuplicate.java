package io.sabot.graph;

import java.util.Locale;

/**
 * What a reference table does with a row whose key an earlier row already has
 * (job file: {@code on_duplicate}).
 */
public enum OnDuplicate {
  /** The later row replaces the earlier one (the default); replacements are counted. */
  LAST("last"),
  /** The earlier row stays; later rows with the same key are ignored and counted. */
  FIRST("first"),
  /** The build stops at the first duplicate, naming the key and both rows. */
  ERROR("error"),
  /** Every row is kept: a probe row matches all of them, in insertion order (SQL semantics). */
  ALL("all");

  private final String jobName;

  OnDuplicate(String jobName) {
    this.jobName = jobName;
  }

  /** The name used in job files: {@code last, first, error, all}. */
  public String jobName() {
    return jobName;
  }

  @Override
  public String toString() {
    return jobName;
  }

  /** Parses a job-file name (case-insensitive); null or blank means the default, {@link #LAST}. */
  public static OnDuplicate parse(String name) {
    if (name == null || name.isBlank()) return LAST;
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (OnDuplicate d : values()) {
      if (d.jobName.equals(n)) return d;
    }
    throw new IllegalArgumentException("unknown on_duplicate '" + name + "'; known: last, first, error, all");
  }
}
