package io.sabot.connect;

/**
 * Receives the records a reader cannot decode. Readers call {@link #reject} and go on with the
 * next record; the rejecter applies the source's {@link OnError} policy (it throws for
 * {@code fail}). Implementations are thread-safe.
 */
public interface RecordRejecter {
  /**
   * @param partition the partition's description (a file name)
   * @param position  1-based line number (files) or offset (topics)
   * @param rawRecord the record as read, without its line terminator
   * @param reason    what is wrong, naming the column: "column=price value='abc' is not a float64"
   */
  void reject(String partition, long position, String rawRecord, String reason);
}
