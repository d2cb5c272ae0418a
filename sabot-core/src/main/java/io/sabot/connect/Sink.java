package io.sabot.connect;

import io.sabot.types.Schema;
import java.io.IOException;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Where enriched rows go. The executor calls {@link #open} once, then {@link #write} from a single
 * thread in output order, then {@link #close}. The sink does not take ownership of the batches.
 */
public interface Sink extends AutoCloseable {
  void open(Schema schema) throws IOException;

  void write(VectorSchemaRoot batch) throws IOException;

  /**
   * Writes the output of one input batch, then calls {@code onDurable} once its rows are durable:
   * for the file sinks at once, after {@link #write(VectorSchemaRoot)}; a Kafka sink when the
   * broker has acknowledged them. Calls of {@code onDurable} come in write order, from any thread,
   * at the latest during {@link #flush()}. {@code checkpoint} is the source position after the
   * input batch ({@link io.sabot.connect.BatchReader#checkpoint()}, null when the source keeps
   * none), for a sink that commits positions with its rows (a Kafka transaction).
   */
  default void write(VectorSchemaRoot batch, Object checkpoint, Runnable onDurable) throws IOException {
    write(batch);
    onDurable.run();
  }

  /** Waits until every row written so far is durable and its {@code onDurable} has run. */
  default void flush() throws IOException {}

  /**
   * False for sinks that only count rows (discard): the executor then skips building output
   * batches and calls {@link #countOnly} instead of {@link #write}.
   */
  default boolean needsRows() {
    return true;
  }

  default void countOnly(int rows) {}

  /** Flushes and releases; called once, also after a failure. */
  @Override
  void close() throws IOException;
}
