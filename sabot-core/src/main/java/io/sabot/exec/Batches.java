package io.sabot.exec;

import io.sabot.reference.Columns;
import io.sabot.types.Schema;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

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
    VectorSchemaRoot all = Columns.concatenate(batches, schema, 0, allocator);
    batches.forEach(VectorSchemaRoot::close);
    batches.clear();
    return all;
  }
}
