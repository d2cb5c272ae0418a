package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.junit.jupiter.api.Test;

/** Arrow records to batches: one batch a record, whatever the writer put in its IPC stream. */
class TopicDecoderTest {
  private static final Schema SCHEMA = new Schema(List.of(new Field("seq", ColumnType.INT64)));

  /**
   * A record of three IPC batches (as pyarrow writes a table of chunks) becomes one batch: a
   * batch's checkpoint is the position after its record, so a record cut into several would be
   * committed past once its first batch was delivered.
   */
  @Test
  void shouldDecodeARecordOfSeveralIpcBatchesIntoOneBatch() throws Exception {
    try (RootAllocator allocator = new RootAllocator()) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA.toArrow(), allocator);
           ArrowStreamWriter writer = new ArrowStreamWriter(root, null, Channels.newChannel(bytes))) {
        BigIntVector seq = (BigIntVector) root.getVector(0);
        writer.start();
        long next = 0;
        for (int rows : new int[] {3, 5, 2}) {
          seq.allocateNew(rows);
          for (int i = 0; i < rows; i++) seq.set(i, next++);
          root.setRowCount(rows);
          writer.writeBatch();
        }
        writer.end();
      }
      List<VectorSchemaRoot> emitted = new ArrayList<>();
      try (TopicDecoder decoder = new TopicDecoder(RecordFormat.ARROW, SCHEMA, SCHEMA, allocator,
          4)) {
        assertNull(decoder.add(bytes.toByteArray(), emitted::add));
        decoder.flush(emitted::add);
      }
      try {
        assertEquals(1, emitted.size());
        BigIntVector seq = (BigIntVector) emitted.get(0).getVector(0);
        List<Long> values = new ArrayList<>();
        for (int i = 0; i < emitted.get(0).getRowCount(); i++) values.add(seq.get(i));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), values);
      } finally {
        emitted.forEach(VectorSchemaRoot::close);
      }
    }
  }
}
