package io.sabot.connect.arrow;

import io.sabot.connect.WriteMode;
import io.sabot.connect.file.EncodingSink;
import io.sabot.connect.file.SinkOutput;
import io.sabot.types.Schema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ReadChannel;
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
 * batch's buffers, so nothing is copied and the batch stays the caller's. Appending continues the
 * stream: new batches replace the end-of-stream marker, which is written again at the end.
 */
public final class ArrowIpcSink extends EncodingSink {
  private static final byte[] END_OF_STREAM = endOfStream();
  private WriteChannel channel;
  private Schema schema;

  private ArrowIpcSink(SinkOutput output) {
    super(output);
  }

  /** A sink that replaces {@code path} once the input has ended ({@code mode: overwrite}). */
  public static ArrowIpcSink toPath(Path path) {
    return toPath(path, WriteMode.OVERWRITE);
  }

  /** A sink that writes {@code path} as {@code mode} says. */
  public static ArrowIpcSink toPath(Path path, WriteMode mode) {
    return toPath(path, mode, false);
  }

  /**
   * As above; {@code exactlyOnce} ({@code mode} append only) keeps the source position with the
   * rows, so that a rerun starts exactly after the last durable row.
   */
  public static ArrowIpcSink toPath(Path path, WriteMode mode, boolean exactlyOnce) {
    return new ArrowIpcSink(SinkOutput.toFile(path, mode, exactlyOnce));
  }

  /** A sink that writes to {@code out} and flushes, but never closes, it. */
  public static ArrowIpcSink toStream(OutputStream out) {
    return new ArrowIpcSink(SinkOutput.toStream(out));
  }

  @Override
  protected void begin(OutputStream out, Schema schema, Path appendingTo) throws IOException {
    this.schema = schema;
    if (appendingTo != null) checkSchema(appendingTo, schema);
    channel = new WriteChannel(Channels.newChannel(out));
    if (appendingTo == null) MessageSerializer.serialize(channel, schema.toArrow(), IpcOption.DEFAULT);
  }

  private static void checkSchema(Path file, Schema schema) throws IOException {
    org.apache.arrow.vector.types.pojo.Schema existing;
    try (InputStream in = Files.newInputStream(file)) {
      existing = MessageSerializer.deserializeSchema(new ReadChannel(Channels.newChannel(in)));
    } catch (IOException | RuntimeException e) {
      throw new IOException("file=" + file + " is not an Arrow IPC stream to append to: " + e, e);
    }
    if (!existing.equals(schema.toArrow())) {
      throw new IOException("file=" + file + " holds the schema " + existing + " but this job writes "
          + schema.toArrow() + "; appending would mix two tables: write to another path, or set "
          + "mode: overwrite");
    }
  }

  @Override
  protected void encode(VectorSchemaRoot batch) throws IOException {
    if (batch.getFieldVectors().size() != schema.size()) {
      throw new IllegalArgumentException("batch has " + batch.getFieldVectors().size()
          + " columns, the sink was opened with " + schema.size() + ": " + schema);
    }
    try (ArrowRecordBatch records = new VectorUnloader(batch).getRecordBatch()) {
      MessageSerializer.serialize(channel, records, IpcOption.DEFAULT);
    }
  }

  @Override
  protected void flushEncoder() {
    // WriteChannel writes straight through to the output's stream
  }

  @Override
  protected byte[] trailer() {
    return END_OF_STREAM.clone();
  }

  private static byte[] endOfStream() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ArrowStreamWriter.writeEndOfStream(new WriteChannel(Channels.newChannel(bytes)), IpcOption.DEFAULT);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return bytes.toByteArray();
  }
}
