package io.sabot.connect.file;

import io.sabot.connect.Sink;
import io.sabot.connect.SourcePosition;
import io.sabot.types.Schema;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A sink that encodes rows into bytes (csv, jsonl, arrow) for a {@link SinkOutput}, and keeps the
 * durability contract of {@link Sink}: the {@code onDurable} callbacks of written batches wait
 * here until the output has made their bytes durable, at most every {@link #SYNC_EVERY_MS} (one
 * fsync per interval, not per batch), at {@link #flush} and at {@link #finish}.
 *
 * <pre>
 *   write ─► encode ─► output stream ─┬─ every SYNC_EVERY_MS, flush, finish: output.sync()
 *   onDurable ─► pending ─────────────┘   ─► written for good? run pending (in order)
 *   finish ─► trailer ─► output.publish() ─► run pending          close without finish ─► abandon
 * </pre>
 */
public abstract class EncodingSink implements Sink {
  /** How often, at most, written rows are made durable while the input lasts. */
  static final long SYNC_EVERY_MS = 1000;

  private final SinkOutput output;
  private final List<Runnable> pending = new ArrayList<>();
  private OutputStream out;
  private long lastSync;
  private boolean written; // since the last sync
  private SourcePosition position; // after the last batch written
  private boolean finished;
  private boolean closed;

  protected EncodingSink(SinkOutput output) {
    this.output = output;
  }

  /**
   * Starts the format on {@code out}: a header, a schema message. {@code appendingTo} is the file
   * that already holds rows (check it holds this schema's; write no header), or null.
   */
  protected abstract void begin(OutputStream out, Schema schema, Path appendingTo)
      throws IOException;

  protected abstract void encode(VectorSchemaRoot batch) throws IOException;

  /** Pushes what the encoder buffers into the stream given to {@link #begin}. */
  protected abstract void flushEncoder() throws IOException;

  /** The bytes a complete output ends with (Arrow's end-of-stream marker); empty for text. */
  protected byte[] trailer() {
    return new byte[0];
  }

  @Override
  public final void open(Schema schema) throws IOException {
    try {
      out = output.open(trailer());
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new IOException("cannot create the output: " + e.getFile() + " is a file, not a folder", e);
    } catch (java.nio.file.AccessDeniedException e) {
      throw new IOException("cannot create the output: permission denied on " + e.getFile(), e);
    } catch (java.nio.file.FileSystemException e) {
      throw new IOException("cannot create the output: " + e.getMessage(), e);
    }
    begin(out, schema, output.continuing());
    lastSync = System.currentTimeMillis();
  }

  @Override
  public final void write(VectorSchemaRoot batch) throws IOException {
    encode(batch);
    written = true;
  }

  @Override
  public final void write(VectorSchemaRoot batch, Object checkpoint, Runnable onDurable)
      throws IOException {
    encode(batch);
    afterWrite(checkpoint, onDurable);
  }

  /** Appends the bytes a {@link #parallelEncoder} made on a worker, after what is buffered. */
  @Override
  public final void writeEncoded(VectorSchemaRoot batch, Object encoded, Object checkpoint,
                                 Runnable onDurable) throws IOException {
    flushEncoder();
    out.write((byte[]) encoded);
    afterWrite(checkpoint, onDurable);
  }

  private void afterWrite(Object checkpoint, Runnable onDurable) throws IOException {
    written = true;
    if (checkpoint instanceof SourcePosition) position = (SourcePosition) checkpoint;
    pending.add(onDurable);
    if (System.currentTimeMillis() - lastSync >= SYNC_EVERY_MS) flush();
  }

  /**
   * Makes what was written durable; for a temporary file, the rows count only at finish. Also
   * called while the stream is idle: nothing new written, nothing to do.
   */
  @Override
  public final void flush() throws IOException {
    if (!written) return;
    flushEncoder();
    if (position != null) output.position(position.encode());
    if (output.sync()) runPending();
    lastSync = System.currentTimeMillis();
    written = false;
  }

  @Override
  public final void finish() throws IOException {
    flushEncoder();
    out.write(trailer());
    if (position != null) output.position(position.encode());
    output.publish();
    finished = true;
    runPending();
  }

  @Override
  public final String resumePosition() {
    return output.resumePosition();
  }

  private void runPending() {
    for (Runnable r : pending) r.run();
    pending.clear();
  }

  /** After {@link #finish}, only releases; else keeps only what was made durable. */
  @Override
  public final void close() throws IOException {
    if (closed) return;
    closed = true;
    if (finished || out == null) {
      if (!finished) output.abandon(new byte[0]);
      return;
    }
    try {
      flushEncoder();
    } catch (IOException | RuntimeException ignored) {
      // a failed encoder: what it held is not durable and is dropped with the rest
    } finally {
      pending.clear();
      output.abandon(trailer());
    }
  }
}
