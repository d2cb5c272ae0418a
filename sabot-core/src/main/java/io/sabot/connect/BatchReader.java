package io.sabot.connect;

import java.io.IOException;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Reads one partition batch by batch. Each batch has exactly the columns of
 * {@link ReadContext#columns()}, in that order, at most {@link ReadContext#batchSize()} rows, and
 * is owned (and closed) by the caller.
 */
public interface BatchReader extends AutoCloseable {
  /** The next batch, or null at the end of the partition. */
  VectorSchemaRoot next() throws IOException;

  /**
   * The source position just past the batch {@link #next()} last returned (Kafka: the next offset
   * of every partition), or null (the default) for a source that keeps no position. The executor
   * hands it to the sink with that batch's output, and back to {@link #delivered} once the sink
   * has those rows durably.
   */
  default Object checkpoint() {
    return null;
  }

  /**
   * The sink has durably written the output of every batch up to the one {@code checkpoint} was
   * taken after. Called in batch order, possibly from another thread than {@link #next()} (hand
   * it over; a Kafka consumer commits from its own thread), and only for non-null checkpoints.
   * When a partition gave checkpoints, the executor closes its reader only after the sink has
   * flushed, so the last delivery comes before {@link #close()}.
   */
  default void delivered(Object checkpoint) {}

  /**
   * The job is stopping: a {@link #next()} that waits for records that may never come (an
   * unbounded topic) should return null soon. Called from another thread; a reader that never
   * waits can ignore it (the executor asks for no further batch anyway).
   */
  default void stop() {}

  @Override
  void close() throws IOException;
}
