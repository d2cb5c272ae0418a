package io.sabot.connect.generator;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ReadContext;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Cuts a generated table into batches of the context's batch size. */
final class GeneratorBatchReader implements BatchReader {
  private final WorkloadFiller filler;
  private final ReadContext context;
  private long remaining;

  GeneratorBatchReader(WorkloadFiller filler, long rows, ReadContext context) {
    this.filler = filler;
    this.remaining = rows;
    this.context = context;
  }

  @Override
  public VectorSchemaRoot next() {
    if (remaining == 0) return null;
    int n = (int) Math.min(remaining, context.batchSize());
    VectorSchemaRoot batch = context.columns().newBatch(context.allocator());
    try {
      for (FieldVector v : batch.getFieldVectors()) {
        v.setInitialCapacity(n);
        v.allocateNew();
      }
      filler.fill(batch, n);
      batch.setRowCount(n);
    } catch (Throwable t) {
      batch.close();
      throw t;
    }
    remaining -= n;
    return batch;
  }

  @Override
  public void close() {}
}
