package io.sabot.graph;

import java.util.Locale;

/** What a source does with a record it cannot decode (job file: {@code on_error}). */
public enum OnError {
  /** Stop the job with an error naming the record. */
  FAIL("fail"),
  /** Count the record and go on. */
  SKIP("skip"),
  /** Count the record, write it with its position and the reason to the dead-letter file. */
  DEAD_LETTER("dead_letter");

  private final String jobName;

  OnError(String jobName) {
    this.jobName = jobName;
  }

  public String jobName() {
    return jobName;
  }

  /** Parses {@code fail}, {@code skip}, {@code dead_letter} (also {@code dead-letter}), or null. */
  public static OnError parse(String s) {
    switch (s.trim().toLowerCase(Locale.ROOT).replace('-', '_')) {
      case "fail": return FAIL;
      case "skip": return SKIP;
      case "dead_letter": case "deadletter": return DEAD_LETTER;
      default: return null;
    }
  }
}
