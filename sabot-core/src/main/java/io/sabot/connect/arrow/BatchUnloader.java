package io.sabot.connect.arrow;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/**
 * A batch as a record batch message, laid out by what each vector holds, not by its field's type.
 * {@link VectorUnloader} counts the buffers a field's type needs, and refuses a
 * dictionary-encoded output column: its field says utf8 (three buffers: validity, offsets, bytes;
 * so that the batch's schema is the schema the sink writes, see
 * {@link io.sabot.physical.OutputLayout}) while its vector holds int32 indexes (two: validity,
 * values). Sabot's columns are flat, so a batch is one node and the vector's own buffers per
 * column, in column order; for a plain batch that is exactly what VectorUnloader gives.
 */
final class BatchUnloader {
  private BatchUnloader() {}

  /** The record batch, referencing the batch's buffers (nothing copied; close it to release them). */
  static ArrowRecordBatch unload(VectorSchemaRoot batch) {
    List<ArrowFieldNode> nodes = new ArrayList<>();
    List<ArrowBuf> buffers = new ArrayList<>();
    for (FieldVector v : batch.getFieldVectors()) {
      if (!v.getChildrenFromFields().isEmpty()) {
        throw new IllegalArgumentException("Internal error: column=" + v.getName() + " is nested "
            + "(" + v.getField().getType() + "); this is a bug in Sabot; please report it");
      }
      nodes.add(new ArrowFieldNode(v.getValueCount(), v.getNullCount()));
      buffers.addAll(v.getFieldBuffers());
    }
    return new ArrowRecordBatch(batch.getRowCount(), nodes, buffers); // retains each buffer
  }
}
