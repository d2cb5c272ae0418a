package io.sabot.connect;

import io.sabot.types.Schema;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;

/**
 * Writes rows as an Arrow IPC stream ({@code format: arrow}): the schema message, one record
 * batch message per batch, the end-of-stream marker; byte for byte what
 * {@link ArrowStreamWriter} writes. It does not use an ArrowStreamWriter with its own root: a
 * sink is given no allocator, and loading a batch into a root from another allocator fails (Arrow
 * moves buffers only within one root allocator). {@link VectorUnloader} just references the
 * batch's buffers, so nothing is copied and the batch stays the caller's.
 */
public final class ArrowIpcSink implements Sink {
  private final Path path;
  private final OutputStream stream;
  private OutputStream out;
  private WriteChannel channel;
  private Schema schema;

  private ArrowIpcSink(Path path, OutputStream stream) {
    this.path = path;
    this.stream = stream;
  }

  /** A sink that creates (or replaces) {@code path} when opened. */
  public static ArrowIpcSink toPath(Path path) {
    return new ArrowIpcSink(path, null);
  }

  /** A sink that writes to {@code out} and flushes, but never closes, it. */
  public static ArrowIpcSink toStream(OutputStream out) {
    return new ArrowIpcSink(null, out);
  }

  @Override
  public void open(Schema schema) throws IOException {
    this.schema = schema;
    out = SinkOutput.open(path, stream);
    channel = new WriteChannel(Channels.newChannel(out));
    MessageSerializer.serialize(channel, schema.toArrow(), IpcOption.DEFAULT);
  }

  @Override
  public void write(VectorSchemaRoot batch) throws IOException {
    if (batch.getFieldVectors().size() != schema.size()) {
      throw new IllegalArgumentException("batch has " + batch.getFieldVectors().size()
          + " columns, the sink was opened with " + schema.size() + ": " + schema);
    }
    try (ArrowRecordBatch records = new VectorUnloader(batch).getRecordBatch()) {
      MessageSerializer.serialize(channel, records, IpcOption.DEFAULT);
    }
  }

  @Override
  public void close() throws IOException {
    if (out == null) return;
    try {
      ArrowStreamWriter.writeEndOfStream(channel, IpcOption.DEFAULT);
    } finally {
      out.close();
      out = null;
    }
  }
}
