package io.sabot.exec;

import io.sabot.types.Schema;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.VectorBatchAppender;

/** Joining a reference input's batches into the one batch a ReferenceTable is built from. */
final class Batches {
  private Batches() {}

  /**
   * One batch holding every row of {@code batches}, in order: a single batch is returned as it
   * is; several are copied once into a new batch allocated at its final size (rows, and string
   * bytes, counted first: no buffer grows and no copy is copied again), then closed. The list is
   * left empty. On failure nothing is closed and the list is as it was, for the caller to close.
   */
  static VectorSchemaRoot concatenate(List<VectorSchemaRoot> batches, Schema schema,
                                      BufferAllocator allocator) {
    if (batches.isEmpty()) {
      VectorSchemaRoot empty = schema.newBatch(allocator);
      empty.setRowCount(0);
      return empty;
    }
    if (batches.size() == 1) return batches.remove(0);
    int rows = 0;
    for (VectorSchemaRoot b : batches) rows += b.getRowCount();
    VectorSchemaRoot all = schema.newBatch(allocator);
    try {
      for (int c = 0; c < all.getFieldVectors().size(); c++) {
        FieldVector target = all.getVector(c);
        FieldVector[] parts = new FieldVector[batches.size()];
        for (int i = 0; i < parts.length; i++) parts[i] = batches.get(i).getVector(c);
        if (target instanceof BaseVariableWidthVector) {
          long bytes = 0;
          for (FieldVector p : parts) bytes += ((BaseVariableWidthVector) p).sizeOfValueBuffer();
          ((BaseVariableWidthVector) target).allocateNew(Math.max(1, bytes), Math.max(1, rows));
        } else if (target instanceof BaseFixedWidthVector) {
          ((BaseFixedWidthVector) target).allocateNew(Math.max(1, rows));
        } else {
          target.setInitialCapacity(Math.max(1, rows));
          target.allocateNew();
        }
        VectorBatchAppender.batchAppend(target, parts);
      }
      all.setRowCount(rows);
    } catch (RuntimeException | Error e) {
      all.close();
      throw e;
    }
    batches.forEach(VectorSchemaRoot::close);
    batches.clear();
    return all;
  }
}
