package io.sabot.connect.console;

import io.sabot.connect.Sink;
import io.sabot.types.Schema;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Counts rows and keeps none ({@code discard: true}): for benchmarks and dry runs. By default it
 * needs no rows, so the executor skips building output batches and just reports counts. With
 * {@code materialize: true} it asks for rows ({@link #needsRows()} is true): the executor builds
 * every output batch in full, all columns included, hands it to {@link #write}, which only counts
 * its rows, and closes it; the cost of building the output, without the cost of writing it.
 */
public final class DiscardSink implements Sink {
  private final boolean materialize;
  private final boolean dictionaryStrings;
  private long rows;
  private long batches;

  /** Counts only; the executor builds no output batches. */
  public DiscardSink() {
    this(false);
  }

  /** With {@code materialize}, the executor builds every output batch before it is counted. */
  public DiscardSink(boolean materialize) {
    this(materialize, false);
  }

  /**
   * As above; with {@code dictionaryStrings} the reference string columns of the built batches
   * are dictionary-encoded ({@link #readsDictionaryStrings}).
   */
  public DiscardSink(boolean materialize, boolean dictionaryStrings) {
    this.materialize = materialize;
    this.dictionaryStrings = dictionaryStrings;
  }

  @Override
  public boolean readsDictionaryStrings() {
    return dictionaryStrings;
  }

  @Override
  public void open(Schema schema) {}

  @Override
  public void write(VectorSchemaRoot batch) {
    rows += batch.getRowCount();
    batches++;
  }

  @Override
  public boolean needsRows() {
    return materialize;
  }

  @Override
  public void countOnly(int count) {
    rows += count;
  }

  /** Whether output batches are built ({@code materialize: true}). */
  public boolean materializes() {
    return materialize;
  }

  /** Built batches handed to {@link #write} so far (0 unless the executor built output). */
  public long batches() {
    return batches;
  }

  /** Rows seen so far. */
  public long rows() {
    return rows;
  }

  @Override
  public void close() {}
}
