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

  @Override
  void close() throws IOException;
}
