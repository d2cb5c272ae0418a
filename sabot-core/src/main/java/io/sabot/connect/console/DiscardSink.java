package io.sabot.connect.console;

import io.sabot.connect.Sink;
import io.sabot.types.Schema;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Counts rows and keeps none ({@code discard: true}): for benchmarks and dry runs. It needs no
 * rows, so the executor can skip building output batches and just report counts.
 */
public final class DiscardSink implements Sink {
  private long rows;

  @Override
  public void open(Schema schema) {}

  @Override
  public void write(VectorSchemaRoot batch) {
    rows += batch.getRowCount();
  }

  @Override
  public boolean needsRows() {
    return false;
  }

  @Override
  public void countOnly(int count) {
    rows += count;
  }

  /** Rows seen so far. */
  public long rows() {
    return rows;
  }

  @Override
  public void close() {}
}
