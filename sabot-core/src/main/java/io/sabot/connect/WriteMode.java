package io.sabot.connect;

import java.util.Locale;

/**
 * What a file sink does with the file already at its path ({@code mode}). Whatever the mode, rows
 * appear under the final name only once they are durable, and never cut in the middle of a row.
 */
public enum WriteMode {
  /**
   * Write the whole output to a hidden temporary file beside the target and rename it over the
   * target when the input has ended; a failed or stopped run leaves the earlier file as it was.
   */
  OVERWRITE,
  /**
   * Add rows to the end of the file, durably every
   * {@link io.sabot.connect.file.EncodingSink#SYNC_EVERY_MS} (the default when the stream source
   * resumes from committed positions, so that a rerun keeps the rows of earlier runs). A run that
   * dies is cut back to its last durable row by the next run.
   */
  APPEND,
  /** As {@link #OVERWRITE}, but the job is invalid when the file exists, and never replaces one. */
  FAIL_IF_EXISTS;

  public static final String ACCEPTED = "overwrite, append or fail_if_exists";

  /** The mode {@code s} names, or null. */
  public static WriteMode parse(String s) {
    switch (s.trim().toLowerCase(Locale.ROOT).replace('-', '_')) {
      case "overwrite": return OVERWRITE;
      case "append": return APPEND;
      case "fail_if_exists": return FAIL_IF_EXISTS;
      default: return null;
    }
  }

  /** As written in a job file. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }
}
