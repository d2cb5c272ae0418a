package io.sabot.connect;

import io.sabot.types.Schema;
import java.io.IOException;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;

/**
 * Where enriched rows go. The executor calls {@link #open} once, then {@link #write} from a single
 * thread in output order, then {@link #finish} when the input has ended (not after a failure or
 * a stop), then {@link #close}. The sink does not take ownership of the batches.
 *
 * <h2>The durability contract</h2>
 * A row counts as written only when it is durable for its sink, and a source commits its
 * position only for rows that count as written; so a stop, a crash or a rerun never loses a row.
 * <ul>
 *   <li>File sinks: after the bytes are flushed and fsynced, at most once per
 *       {@link io.sabot.connect.file.EncodingSink#SYNC_EVERY_MS} and at the end; with
 *       {@code mode: overwrite} or {@code fail_if_exists} only once the file is complete under
 *       its name ({@link #finish}).
 *   <li>Kafka sinks: after the broker has acknowledged every record (acks=all), or with
 *       {@code delivery: exactly_once} when the transaction holding the rows and the source
 *       offsets has committed.
 *   <li>Console and discard sinks keep nothing: their rows count once handed over.
 * </ul>
 */
public interface Sink extends AutoCloseable {
  /**
   * What {@link #open} needs and can do before it, writing nothing: connecting, making sure the
   * target exists. The executor calls it on a thread of its own while the job's reference tables
   * are built, so that the first row does not wait for it after them; {@link #open} follows it
   * (and must do it itself when it was not done). True when it holds something {@link #close}
   * releases (a job stopped or failed before {@link #open} then closes the sink; a sink whose
   * preparation fails is closed too). Default: nothing, false.
   */
  default boolean prepare() throws IOException {
    return false;
  }

  void open(Schema schema) throws IOException;

  void write(VectorSchemaRoot batch) throws IOException;

  /**
   * Writes the output of one input batch, and calls {@code onDurable} once its rows are durable
   * (see the contract above), never before. Calls of {@code onDurable} come in write order, from
   * any thread. {@code checkpoint} is the source position after the input batch
   * ({@link BatchReader#checkpoint()}, null when the source keeps none), for a sink that commits
   * positions with its rows (a Kafka transaction). The default suits sinks that keep nothing.
   */
  default void write(VectorSchemaRoot batch, Object checkpoint, Runnable onDurable) throws IOException {
    write(batch);
    onDurable.run();
  }

  /**
   * Makes every row written so far durable and runs its {@code onDurable}, as far as this sink
   * can before the input ends (a file written under a temporary name counts only at
   * {@link #finish}). Called when a job is stopped, and by {@link #finish}'s default.
   */
  default void flush() throws IOException {}

  /**
   * The input has ended and every batch was written: complete the output (publish a file under
   * its name), make it durable and run every pending {@code onDurable}. Not called when the job
   * failed or was stopped.
   */
  default void finish() throws IOException {
    flush();
  }

  /**
   * False for sinks that only count rows (discard): the executor then skips building output
   * batches and calls {@link #countOnly} instead of {@link #write}.
   */
  default boolean needsRows() {
    return true;
  }

  default void countOnly(int rows) {}

  /**
   * True when this sink takes batches whose reference string columns are dictionary-encoded
   * (int32 indexes into the reference table's column; {@link io.sabot.physical.OutputLayout}):
   * the executor then copies no string bytes from reference tables, and calls
   * {@link #useDictionaries} before {@link #open} when some column is so encoded. Columns of live
   * tables stay plain.
   */
  default boolean readsDictionaryStrings() {
    return false;
  }

  /**
   * Before {@link #open}, for a sink that {@link #readsDictionaryStrings}: the Arrow schema of
   * the batches to come (encoded columns carry their dictionary encoding) and the dictionaries,
   * which stay valid until the sink is closed.
   */
  default void useDictionaries(org.apache.arrow.vector.types.pojo.Schema arrowSchema,
                               DictionaryProvider dictionaries) throws IOException {}

  /**
   * Turns output batches into this sink's bytes on the worker threads, several batches at once,
   * so that {@link #writeEncoded} only appends them in order; or null (the default) when the sink
   * encodes in {@code write} itself. Asked once, after {@link #open}.
   */
  default BatchEncoder parallelEncoder() {
    return null;
  }

  /**
   * Encodes one batch. Called from several workers at once: it keeps no state between calls
   * (or only per thread), and never touches the sink's output.
   */
  @FunctionalInterface
  interface BatchEncoder {
    Object encode(VectorSchemaRoot batch) throws IOException;
  }

  /**
   * As {@link #write(VectorSchemaRoot, Object, Runnable)}, for a batch that {@link
   * #parallelEncoder} already turned into {@code encoded}; same contract, same order.
   */
  default void writeEncoded(VectorSchemaRoot batch, Object encoded, Object checkpoint,
                            Runnable onDurable) throws IOException {
    write(batch, checkpoint, onDurable);
  }

  /**
   * After {@link #open}: the source position up to which this output already holds rows (an
   * exactly-once file sink keeps it with its rows), or null. The stream then starts there, not
   * where the source would start by itself, so no row is written twice.
   */
  default String resumePosition() {
    return null;
  }

  /**
   * Releases; called once, also after a failure or a stop. Without {@link #finish}, the sink
   * keeps only the rows whose {@code onDurable} has run and removes the rest (a temporary file,
   * bytes past the last durable row), so no half-written output remains.
   */
  @Override
  void close() throws IOException;
}
