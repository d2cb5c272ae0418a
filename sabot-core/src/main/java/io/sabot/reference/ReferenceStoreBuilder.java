package io.sabot.reference;

import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Loads a {@link ReferenceStore} from the reference pipeline's batches, in input order, on one
 * thread. {@link #close} without {@link #finish} abandons the store and removes its files.
 */
public interface ReferenceStoreBuilder extends AutoCloseable {
  /**
   * Adds every row of {@code batch} (the caller keeps and closes it); {@code visible[row]} is
   * false for rows the join's reference filter hides (null: none hidden). Duplicate keys are
   * resolved as the request's {@code on_duplicate} says, exactly as a {@link ReferenceTable}
   * would.
   *
   * @throws io.sabot.error.JobExecutionException for {@code on_duplicate: error} at the first
   *     duplicate key, with the memory table's message
   */
  void add(VectorSchemaRoot batch, boolean[] visible);

  /** Completes the load; the store is then owned by the caller. */
  ReferenceStore finish();

  @Override
  void close();
}
