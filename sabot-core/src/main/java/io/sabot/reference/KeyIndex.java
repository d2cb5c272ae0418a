package io.sabot.reference;

import org.apache.arrow.vector.FieldVector;

/**
 * The hash index of a {@link ReferenceTable}: key to the row that holds it. Called once per
 * reference row while building and once per probe batch, never per probe row, so the virtual
 * call costs nothing; each implementation runs its own tight loop over the batch.
 *
 * <p>After the build an index may be probed by many threads at once. Only a {@link LiveTable}
 * changes it afterwards, from one thread, by {@link #repoint}: a slot then names a row added
 * after the base, which probers of earlier versions step back from.
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

  /** {@link #holderOf}: the index does not hold the key and cannot take it. */
  int NOT_HELD = -2;

  /**
   * For a {@link LiveTable}'s changes: the row the index holds for the key of indexed row
   * {@code row}; -1 when it holds none but can take the key in place (a direct index, within its
   * range); {@link #NOT_HELD} when it cannot (a hash index is never grown: the key goes to the
   * table's {@link DeltaIndex}).
   */
  int holderOf(int row);

  /**
   * Points the key of indexed row {@code row} (one {@link #holderOf} did not answer NOT_HELD
   * for) at {@code row}, with a release store: what the caller wrote before (the row, its link
   * to the row it replaces) is seen by a prober that sees the new row. The one writer only.
   */
  void repoint(int row);

  /** Bytes held by the index arrays. */
  long sizeInBytes();

  /** For tests and reports: {@code direct}, {@code hash-long}, {@code hash-multi}. */
  String kind();
}
