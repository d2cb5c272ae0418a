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
