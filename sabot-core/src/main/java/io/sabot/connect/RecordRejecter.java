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

  /**
   * For a source with its own dead-letter destination (a Kafka source's dead-letter topic): the
   * record is already there, so this only counts it under the source's policy, writes no
   * dead-letter file, and names {@code destination} in the summary. Sources call it only when the
   * policy is {@link OnError#DEAD_LETTER}.
   */
  default void deadLettered(String destination, String partition, long position, String reason) {
    reject(partition, position, "", reason);
  }
}
