package io.sabot.physical;

import io.sabot.reference.ReferenceStore;
import io.sabot.reference.ReferenceTable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * One batch as it moves through a fused pipeline: no values are copied, only row numbers.
 *
 * <pre>
 *  origin 0 (stream batch)   origin 1 (securities)   origin 2 (exchanges)
 *  rows[0] = [0, 2, 5, 7]    rows[1] = [17, 3, -1, 9] rows[2] = [1, 1, -1, 0]
 *            \___ output row i is made of rows[o][i] of every origin; -1 = null (no match)
 * </pre>
 *
 * A filter compacts every live origin's row array with a selection vector; a probe fills the row
 * array of its origin (and, for inner joins, compacts). Only the final output is gathered.
 * A frame is owned by one worker and reused from batch to batch.
 */
public final class Frame {
  final FieldVector[][] columns;
  /** The reference table version each origin's columns come from (null for the stream). */
  final ReferenceTable[] tables;
  final int[][] rows;
  /** Per reference origin and column: whether the column has nulls (a table version never changes). */
  private final boolean[][] referenceNulls;
  /** Per stream column, counted at most once per batch: 0 not yet, 1 has nulls, 2 none. */
  private byte[] streamNulls = new byte[0];
  int n;
  /** Origins 0 .. liveOrigins-1 have valid row arrays (the others are probed later). */
  int liveOrigins;
  /** True while rows[0] is 0, 1, .. n-1: every stream row, in order (no filter removed any). */
  boolean streamIdentity;
  private int capacity;
  /** Row arrays reused by {@link #expand}, swapped with {@link #rows} (allocated on first use). */
  private int[][] spare;
  /** Per origin read from a {@link ReferenceStore}: this worker's reader (else null). */
  final ReferenceStore.Reader[] readers;
  /** Per origin read from a live store: the version pinned for the current batch (else null). */
  final ReferenceStore.View[] views;
  /** Per origin: the table a lookup made for the current batch, closed when the batch is done. */
  private final ReferenceTable[] looked;
  /** Allocates the lookups' tables; set for each batch. */
  BufferAllocator allocator;

  Frame(FieldVector[][] referenceColumns, ReferenceTable[] tables) {
    int origins = referenceColumns.length;
    this.columns = referenceColumns.clone();
    this.tables = tables.clone();
    this.rows = new int[origins][];
    this.referenceNulls = new boolean[origins][];
    this.readers = new ReferenceStore.Reader[origins];
    this.views = new ReferenceStore.View[origins];
    this.looked = new ReferenceTable[origins];
    for (int o = 1; o < origins; o++) {
      if (columns[o] != null) {
        referenceNulls[o] = this.tables[o] == null ? nullColumns(columns[o]) : nullColumns(this.tables[o]);
      }
    }
    ensureCapacity(1024);
  }

  private static boolean[] nullColumns(ReferenceTable table) {
    boolean[] nulls = new boolean[table.schema().size()];
    for (int i = 0; i < nulls.length; i++) nulls[i] = table.mayHaveNulls(i);
    return nulls;
  }

  private static boolean[] nullColumns(FieldVector[] columns) {
    boolean[] nulls = new boolean[columns.length];
    for (int i = 0; i < columns.length; i++) nulls[i] = columns[i].getNullCount() > 0;
    return nulls;
  }

  /**
   * Whether column {@code index} of {@code origin} may hold nulls: counted once per table
   * version for a reference origin, per batch for the stream.
   */
  boolean hasNulls(int origin, int index) {
    if (origin > 0) return referenceNulls[origin][index];
    if (streamNulls[index] == 0) streamNulls[index] = (byte) (columns[0][index].getNullCount() > 0 ? 1 : 2);
    return streamNulls[index] == 1;
  }

  /** Starts a new batch: every row of the stream batch, no reference rows yet. */
  void reset(VectorSchemaRoot batch) {
    reset(batch.getFieldVectors().toArray(new FieldVector[0]), batch.getRowCount());
  }

  /** Starts a new batch of {@code rowCount} rows in {@code streamColumns}. */
  void reset(FieldVector[] streamColumns, int rowCount) {
    columns[0] = streamColumns;
    if (streamNulls.length < streamColumns.length) streamNulls = new byte[streamColumns.length];
    java.util.Arrays.fill(streamNulls, (byte) 0);
    n = rowCount;
    ensureCapacity(n);
    int[] r0 = rows[0];
    for (int i = 0; i < n; i++) r0[i] = i;
    liveOrigins = 1;
    streamIdentity = true;
  }

  /** Probes and gathers of {@code origin} read {@code table} from now on (a live table's new version). */
  void bind(int origin, ReferenceTable table) {
    FieldVector[] refColumns = new FieldVector[table.schema().size()];
    for (int i = 0; i < refColumns.length; i++) refColumns[i] = table.column(i);
    columns[origin] = refColumns;
    tables[origin] = table;
    referenceNulls[origin] = nullColumns(table);
  }

  /**
   * Looks up the keys of frame rows {@code keyRows[0..n)} in the store read by {@code origin}
   * and binds the resulting table (this batch's matches) to the origin until {@link #releaseLookups}.
   */
  ReferenceTable lookUp(int origin, FieldVector[] keys, int[] keyRows, int n) {
    ReferenceTable t = readers[origin].lookup(views[origin], keys, keyRows, n, allocator);
    looked[origin] = t;
    bind(origin, t);
    return t;
  }

  /** Closes the tables looked up for the batch just processed (its output is built by now). */
  void releaseLookups() {
    for (int o = 0; o < looked.length; o++) {
      if (looked[o] == null) continue;
      looked[o].close();
      looked[o] = null;
      columns[o] = null;
      tables[o] = null;
    }
  }

  public int size() {
    return n;
  }

  /** Rows of {@code origin}, one per frame row; -1 = null. */
  public int[] rows(int origin) {
    return rows[origin];
  }

  /** Whether frame row i is row i of {@code origin} for every i (only the stream can be). */
  public boolean isIdentity(int origin) {
    return origin == 0 && streamIdentity;
  }

  public FieldVector column(int origin, int index) {
    return columns[origin][index];
  }

  void ensureCapacity(int needed) {
    if (needed <= capacity) return;
    int c = Math.max(needed, capacity * 2);
    for (int o = 0; o < rows.length; o++) {
      int[] old = rows[o];
      rows[o] = new int[c];
      if (old != null) System.arraycopy(old, 0, rows[o], 0, Math.min(old.length, n));
    }
    capacity = c;
  }

  /**
   * Replaces the frame by {@code total} rows: row j copies frame row {@code source[j]} of every
   * live origin, and takes {@code refRows[j]} for {@code refOrigin}.
   */
  void expand(int[] source, int[] refRows, int total, int refOrigin) {
    ensureCapacity(total);
    if (spare == null || spare[0].length < capacity) {
      spare = new int[rows.length][capacity];
    }
    for (int o = 0; o < refOrigin; o++) {
      int[] r = rows[o];
      int[] t = spare[o];
      for (int j = 0; j < total; j++) t[j] = r[source[j]];
      spare[o] = r; // the old rows become the next expansion's spare
      rows[o] = t;
    }
    System.arraycopy(refRows, 0, rows[refOrigin], 0, total);
    n = total;
    streamIdentity = false;
  }

  /** Keeps frame rows {@code sel[0..k)} (ascending positions), in that order. */
  void compact(int[] sel, int k) {
    if (k == n) return; // selection is the identity: nothing removed
    if (streamIdentity && liveOrigins == 1) {
      System.arraycopy(sel, 0, rows[0], 0, k); // row i of the stream is frame row i
    } else {
      for (int o = 0; o < liveOrigins; o++) {
        int[] r = rows[o];
        for (int j = 0; j < k; j++) r[j] = r[sel[j]];
      }
    }
    streamIdentity = false;
    n = k;
  }

  /**
   * Keeps the frame rows whose row of {@code origin} (the origin a probe just filled) is a real
   * row, in order: an inner join dropping the unmatched rows in one pass over the row arrays,
   * without a selection vector.
   */
  void keepMatched(int origin) {
    int[] ref = rows[origin];
    int k = 0;
    if (origin == 1) { // the common shape: the stream, then the table just probed
      int[] r0 = rows[0];
      for (int i = 0; i < n; i++) {
        int m = ref[i];
        r0[k] = r0[i]; // k <= i: in place
        ref[k] = m;
        k += m >= 0 ? 1 : 0;
      }
    } else {
      for (int i = 0; i < n; i++) {
        int m = ref[i];
        for (int o = 0; o < origin; o++) rows[o][k] = rows[o][i];
        ref[k] = m;
        k += m >= 0 ? 1 : 0;
      }
    }
    if (k < n) streamIdentity = false;
    n = k;
  }
}
