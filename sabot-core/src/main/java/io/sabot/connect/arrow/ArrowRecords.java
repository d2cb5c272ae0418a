package io.sabot.connect.arrow;

import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.util.AutoCloseables;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;

/**
 * A whole batch as one self-contained record ({@code format: arrow} over Kafka): an Arrow IPC
 * stream of the schema message, one record batch and the end-of-stream marker, the same bytes an
 * {@link ArrowIpcSink} file of one batch holds. Decoding moves the projected columns' buffers out
 * of the stream reader (converting only types Sabot widens, {@link ArrowColumns}): no per-row work,
 * except for dictionary-encoded strings, which are decoded.
 */
public final class ArrowRecords {
  private ArrowRecords() {}

  /** The batch as an IPC stream; the batch stays the caller's. */
  public static byte[] encode(VectorSchemaRoot batch, Schema schema) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + (int) Math.min(Integer.MAX_VALUE / 2,
        estimate(batch)));
    WriteChannel channel = new WriteChannel(Channels.newChannel(out));
    MessageSerializer.serialize(channel, schema.toArrow(), IpcOption.DEFAULT);
    try (ArrowRecordBatch records = new VectorUnloader(batch).getRecordBatch()) {
      MessageSerializer.serialize(channel, records, IpcOption.DEFAULT);
    }
    ArrowStreamWriter.writeEndOfStream(channel, IpcOption.DEFAULT);
    return out.toByteArray();
  }

  /** The Sabot schema of an IPC stream record; IOException naming what Sabot cannot read. */
  public static Schema schema(byte[] record) throws IOException {
    org.apache.arrow.vector.types.pojo.Schema arrow = MessageSerializer.deserializeSchema(
        new ReadChannel(Channels.newChannel(new ByteArrayInputStream(record))));
    if (arrow == null) throw new IOException("record is not an Arrow IPC stream (no schema message)");
    List<Field> fields = new ArrayList<>();
    for (org.apache.arrow.vector.types.pojo.Field f : arrow.getFields()) {
      ColumnType type = ArrowColumns.typeOf(f);
      if (type == null) throw new IOException(ArrowColumns.unsupported(f));
      fields.add(new Field(f.getName(), type));
    }
    return new Schema(fields);
  }

  /**
   * The non-empty record batches of an IPC stream record, each holding exactly {@code columns}
   * (owned by the caller). IOException when the bytes are not such a stream or a column is
   * missing or of another type: the reason for a dead letter.
   */
  public static List<VectorSchemaRoot> decode(byte[] b, int off, int len, Schema columns,
                                              BufferAllocator allocator) throws IOException {
    List<VectorSchemaRoot> out = new ArrayList<>(1);
    try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(b, off, len), allocator)) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot loaded = reader.getVectorSchemaRoot();
        if (loaded.getRowCount() == 0) continue;
        out.add(project(loaded, reader, columns, allocator));
      }
      return out;
    } catch (IOException | RuntimeException e) {
      AutoCloseables.close(e, out);
      if (e instanceof IOException) throw (IOException) e;
      // the job's memory ran out: the job fails (and says so), the record is not a bad one
      if (e instanceof OutOfMemoryException) throw e;
      throw new IOException("record is not a readable Arrow IPC stream: " + e.getMessage(), e);
    }
  }

  private static VectorSchemaRoot project(VectorSchemaRoot loaded, DictionaryProvider dictionaries,
                                          Schema columns, BufferAllocator allocator)
      throws IOException {
    List<FieldVector> vectors = new ArrayList<>(columns.size());
    try {
      for (Field f : columns.fields()) {
        FieldVector source = loaded.getVector(f.name());
        if (source == null || ArrowColumns.typeOfLoaded(source, dictionaries) != f.type()) {
          throw new IOException("column=" + f.name() + " is "
              + (source == null ? "missing" : "of Arrow type " + source.getField().getType())
              + "; expected " + f.type());
        }
        vectors.add(ArrowColumns.read(source, dictionaries, f.name(), f.type(), allocator));
      }
      VectorSchemaRoot batch = new VectorSchemaRoot(vectors);
      batch.setRowCount(loaded.getRowCount());
      return batch;
    } catch (IOException | RuntimeException e) {
      AutoCloseables.close(e, vectors);
      throw e;
    }
  }

  private static long estimate(VectorSchemaRoot batch) {
    long bytes = 0;
    for (FieldVector v : batch.getFieldVectors()) bytes += v.getBufferSize();
    return bytes;
  }
}
