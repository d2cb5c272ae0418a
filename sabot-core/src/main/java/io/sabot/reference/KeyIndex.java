package io.sabot.reference;

import org.apache.arrow.vector.FieldVector;

/**
 * The hash index of a {@link ReferenceTable}: key to the row that holds it. Called once per
 * reference row while building and once per probe batch, never per probe row, so the virtual
 * call costs nothing; each implementation runs its own tight loop over the batch.
 *
 * <p>After the build an index is read-only and may be probed by many threads at once.
 */
interface KeyIndex {
  /**
   * Indexes reference row {@code row}, whose key columns are all non-null. Returns the row the
   * index held for the same key before (and then keeps it, or replaces it by {@code row} when
   * {@code replace}), or -1 when the key is new.
   */
  int put(int row, boolean replace);

  /** See {@link ReferenceTable#probe}: the probe vectors are already checked for count. */
  void probe(FieldVector[] probeKeys, int[] rows, int n, int[] outMatch);

  /** Bytes held by the index arrays. */
  long sizeInBytes();

  /** For tests and reports: {@code direct}, {@code hash-long}, {@code hash-multi}. */
  String kind();
}
