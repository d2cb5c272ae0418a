package io.sabot.exec;

import io.sabot.types.Schema;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.VectorBatchAppender;

/** Joining a reference input's batches into the one batch a ReferenceTable is built from. */
final class Batches {
  private Batches() {}

  /**
   * One batch holding every row of {@code batches}, in order: the first batch grows, the others
   * are closed, and the list is left empty. On failure the first batch is closed and the others
   * stay in the list for the caller to close.
   */
  static VectorSchemaRoot concatenate(List<VectorSchemaRoot> batches, Schema schema,
                                      BufferAllocator allocator) {
    if (batches.isEmpty()) {
      VectorSchemaRoot empty = schema.newBatch(allocator);
      empty.setRowCount(0);
      return empty;
    }
    VectorSchemaRoot first = batches.remove(0);
    try {
      if (!batches.isEmpty()) {
        int rows = first.getRowCount();
        for (VectorSchemaRoot b : batches) rows += b.getRowCount();
        for (int c = 0; c < first.getFieldVectors().size(); c++) {
          FieldVector[] rest = new FieldVector[batches.size()];
          for (int i = 0; i < rest.length; i++) rest[i] = batches.get(i).getVector(c);
          VectorBatchAppender.batchAppend(first.getVector(c), rest);
        }
        first.setRowCount(rows);
        batches.forEach(VectorSchemaRoot::close);
        batches.clear();
      }
      return first;
    } catch (RuntimeException | Error e) {
      first.close();
      throw e;
    }
  }
}
