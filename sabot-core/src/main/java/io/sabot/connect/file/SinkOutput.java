package io.sabot.connect.file;

import io.sabot.connect.WriteMode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a sink's bytes go, and when they are durable (DESIGN.md, "Durability"). An
 * {@link EncodingSink} encodes rows into {@link #open}'s stream and asks the output to make them
 * durable; only then do the rows count as written.
 *
 * <pre>
 *  overwrite, fail_if_exists   rows ─► .out.csv.sabot-partial ─fsync─► (input ended) rename to out.csv,
 *  (ReplacingFileOutput)       fsync the folder ─► durable.  Stop or failure: the partial file is deleted.
 *  append                      rows ─► end of out.csv ─fsync─► length noted in .out.csv.sabot-append ─►
 *  (AppendingFileOutput)       durable.  The next run cuts a file that died mid-run back to that length.
 *  a stream, /dev/null, a pipe rows ─► flushed ─► durable as far as it can be
 *  (StreamOutput)
 * </pre>
 */
public interface SinkOutput {
  /**
   * The output for a sink's {@code path}: a regular file (or none yet) by {@code mode};
   * {@code keepsPosition} (exactly-once, append only): the source position is kept with the rows.
   */
  static SinkOutput toFile(Path target, WriteMode mode, boolean keepsPosition) {
    if (Files.exists(target) && !Files.isRegularFile(target)) return StreamOutput.device(target);
    if (keepsPosition && mode != WriteMode.APPEND) {
      throw new IllegalArgumentException("exactly-once output appends; mode " + mode + " cannot");
    }
    return mode == WriteMode.APPEND ? new AppendingFileOutput(target, keepsPosition)
        : new ReplacingFileOutput(target, mode == WriteMode.FAIL_IF_EXISTS);
  }

  /** The output for a stream the sink flushes but never closes (stdout). */
  static SinkOutput toStream(OutputStream stream) {
    return StreamOutput.shielding(stream);
  }

  /**
   * Opens the target; the returned stream is buffered and its close() does nothing (the output
   * closes it). {@code trailer}: the bytes a complete file of the format ends with (Arrow's
   * end-of-stream marker), which appending goes before.
   */
  OutputStream open(byte[] trailer) throws IOException;

  /** The file rows are appended to, when it already holds rows (so no header is written); else null. */
  default Path continuing() {
    return null;
  }

  /** The source position kept with the rows (exactly-once), read at {@link #open}; else null. */
  default String resumePosition() {
    return null;
  }

  /**
   * The source position just past the rows written so far, to be kept with them by the next
   * {@link #sync} (exactly-once outputs; others ignore it).
   */
  default void position(String encoded) {}

  /**
   * Makes every byte written so far durable; returns true when the rows are then written for
   * good, false when they count only once {@link #publish}ed (a temporary file).
   */
  boolean sync() throws IOException;

  /** The input has ended and every byte is written: make the output durable under its name. */
  void publish() throws IOException;

  /**
   * Ends without {@link #publish} (the job failed or was stopped): keeps only what {@link #sync}
   * made written for good, ends the file with {@code trailer}, and releases everything.
   */
  void abandon(byte[] trailer) throws IOException;
}
