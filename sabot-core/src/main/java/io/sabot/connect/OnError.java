package io.sabot.connect;

import java.util.Locale;

/** What a source does with a record it cannot decode. */
public enum OnError {
  /** Stop the job with an error naming the record. */
  FAIL,
  /** Count the record and go on. */
  SKIP,
  /** Count the record, write it with its position and the reason to the dead-letter file. */
  DEAD_LETTER;

  public static OnError parse(String s) {
    switch (s.trim().toLowerCase(Locale.ROOT).replace('-', '_')) {
      case "fail": return FAIL;
      case "skip": return SKIP;
      case "dead_letter": case "deadletter": return DEAD_LETTER;
      default: throw new IllegalArgumentException(
          "value=" + s + " is not supported; use fail, skip or dead_letter");
    }
  }
}
