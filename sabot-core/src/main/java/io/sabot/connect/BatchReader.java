package io.sabot.connect;

import java.io.IOException;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Reads one partition batch by batch. Each batch has exactly the columns of
 * {@link ReadContext#columns()}, in that order, at most {@link ReadContext#batchSize()} rows, and
 * is owned (and closed) by the caller.
 */
public interface BatchReader extends AutoCloseable {
  /**
   * Batches already made, handed out in order (the caller owns each batch it takes); those not
   * taken are closed with the reader.
   */
  static BatchReader of(java.util.List<VectorSchemaRoot> batches) {
    return new BatchReader() {
      private int next;

      @Override
      public VectorSchemaRoot next() {
        return next == batches.size() ? null : batches.get(next++);
      }

      @Override
      public void close() {
        while (next < batches.size()) batches.get(next++).close();
      }
    };
  }

  /** The next batch, or null at the end of the partition. */
  VectorSchemaRoot next() throws IOException;

  /**
   * The next batch's input, read but not decoded yet, or null at the end of the partition: for a
   * reader whose decoding costs more than its reading (text records from Kafka). The executor
   * calls it as it calls {@link #next()} (in order, one caller at a time, under the partition's
   * lock), takes {@link #checkpoint()} right after it, and then calls {@link Undecoded#decode()}
   * outside the lock, on the worker that will process the batch, several at once. The default
   * decodes right away.
   *
   * <pre>
   *   under the lock:  nextUndecoded ─► input of batch k, checkpoint after it
   *   on the worker:   decode ─► batch k ─► filter, probe, build      (batches k, k+1 at once)
   * </pre>
   */
  default Undecoded nextUndecoded() throws IOException {
    VectorSchemaRoot batch = next();
    return batch == null ? null : new Undecoded.Decoded(batch);
  }

  /** One batch's input, from {@link #nextUndecoded()}: decode it once, or close it unused. */
  interface Undecoded extends AutoCloseable {
    /**
     * The batch (owned by the caller), its bad records reported as {@link #next()} reports them,
     * and made durable where the reader keeps them (a dead-letter topic) before this returns.
     * Safe to call from any thread, concurrently with other inputs' decode.
     */
    VectorSchemaRoot decode() throws IOException;

    /** Releases the input when it will not be decoded (a failure in between). */
    @Override
    default void close() {}

    /** A batch already decoded by {@link #next()}. */
    final class Decoded implements Undecoded {
      private VectorSchemaRoot batch;

      public Decoded(VectorSchemaRoot batch) {
        this.batch = batch;
      }

      @Override
      public VectorSchemaRoot decode() {
        VectorSchemaRoot b = batch;
        batch = null;
        return b;
      }

      @Override
      public void close() {
        if (batch != null) batch.close();
        batch = null;
      }
    }
  }

  /**
   * The source position just past the batch {@link #next()} last returned (Kafka: the next offset
   * of every partition), or null (the default) for a source that keeps no position. The executor
   * hands it to the sink with that batch's output, and back to {@link #delivered} once the sink
   * has those rows durably.
   */
  default Object checkpoint() {
    return null;
  }

  /**
   * The sink has durably written the output of every batch up to the one {@code checkpoint} was
   * taken after. Called in batch order, possibly from another thread than {@link #next()} (hand
   * it over; a Kafka consumer commits from its own thread), and only for non-null checkpoints.
   * When a partition gave checkpoints, the executor closes its reader only after the sink has
   * flushed, so the last delivery comes before {@link #close()}.
   */
  default void delivered(Object checkpoint) {}

  /**
   * The job is stopping: a {@link #next()} that waits for records that may never come (an
   * unbounded topic) should return null soon. Called from another thread; a reader that never
   * waits can ignore it (the executor asks for no further batch anyway).
   */
  default void stop() {}

  @Override
  void close() throws IOException;
}
