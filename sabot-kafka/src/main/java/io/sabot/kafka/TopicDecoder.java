package io.sabot.kafka;

import io.sabot.connect.arrow.ArrowRecords;
import io.sabot.connect.text.RecordDecoder;
import io.sabot.reference.Columns;
import io.sabot.types.Schema;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Record values to Arrow batches of the projected columns. jsonl and csv records are decoded
 * straight into the vectors of the batch being filled (cut at the batch size); an arrow record is
 * a batch already, and becomes one batch with the projected columns' buffers moved, not copied
 * (a record of several batches becomes one, copied).
 */
final class TopicDecoder implements AutoCloseable {
  private final RecordFormat format;
  private final Schema columns;
  private final BufferAllocator allocator;
  private final int batchSize;
  private final RecordDecoder rows;
  private VectorSchemaRoot current;

  /**
   * @param fields  every field of a record (csv: their order in a record)
   * @param columns the fields to decode, in {@code fields} order
   */
  TopicDecoder(RecordFormat format, Schema fields, Schema columns, BufferAllocator allocator,
               int batchSize) {
    this.format = format;
    this.columns = columns;
    this.allocator = allocator;
    this.batchSize = batchSize;
    switch (format) {
      case JSONL: rows = RecordDecoder.jsonl(columns); break;
      case CSV: rows = RecordDecoder.csv(columns, fields); break;
      default: rows = null;
    }
  }

  /**
   * Decodes one value; a batch that becomes full (or, for arrow, the record's batch) goes to
   * {@code emit}, which takes ownership. Returns null, or why the value cannot be decoded (then
   * nothing was added).
   */
  String add(byte[] value, Consumer<VectorSchemaRoot> emit) throws IOException {
    if (value == null) return "record has no value (a tombstone)";
    return add(value, 0, value.length, emit);
  }

  /**
   * As above, for a value read without copying it: a heap buffer's bytes are decoded in place
   * (a direct buffer's are copied first).
   */
  String add(ByteBuffer value, Consumer<VectorSchemaRoot> emit) throws IOException {
    if (value == null) return "record has no value (a tombstone)";
    if (value.hasArray()) {
      return add(value.array(), value.arrayOffset() + value.position(), value.remaining(), emit);
    }
    byte[] copy = new byte[value.remaining()];
    value.duplicate().get(copy);
    return add(copy, 0, copy.length, emit);
  }

  /** Decodes {@code value[offset, offset + length)}. */
  private String add(byte[] value, int offset, int length, Consumer<VectorSchemaRoot> emit)
      throws IOException {
    if (format == RecordFormat.ARROW) {
      List<VectorSchemaRoot> batches;
      try {
        batches = ArrowRecords.decode(value, offset, length, columns, allocator);
      } catch (IOException e) {
        return e.getMessage();
      }
      if (batches.size() > 1) {
        // One batch a record: a batch's checkpoint is the position after its record, so a
        // record cut into several would be committed past once its first batch was delivered,
        // and its other rows lost at a stop or a crash. (Sabot writes one batch a record; other
        // writers may put several in one IPC stream.)
        VectorSchemaRoot whole;
        try {
          whole = Columns.concatenate(batches, columns, 0, allocator);
        } finally {
          batches.forEach(VectorSchemaRoot::close);
        }
        emit.accept(whole);
      } else {
        batches.forEach(emit);
      }
      return null;
    }
    if (current == null) {
      current = columns.newBatch(allocator);
      rows.start(current, batchSize);
    }
    String reason = rows.decode(value, offset, length);
    if (rows.rows() >= batchSize) flush(emit);
    return reason;
  }

  /** Emits the batch being filled, if it has rows. */
  void flush(Consumer<VectorSchemaRoot> emit) {
    if (current == null) return;
    if (rows.rows() == 0) {
      current.close();
    } else {
      rows.finish(current);
      emit.accept(current);
    }
    current = null;
  }

  /** Closes a batch left half-filled by a failure. */
  @Override
  public void close() {
    if (current != null) current.close();
    current = null;
  }
}
