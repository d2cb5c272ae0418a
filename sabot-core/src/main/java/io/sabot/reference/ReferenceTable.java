package io.sabot.reference;

import io.sabot.error.InvalidJobException;
import io.sabot.error.JobExecutionException;
import io.sabot.error.SabotBug;
import io.sabot.graph.OnDuplicate;
import io.sabot.types.ColumnType;
import io.sabot.types.Schema;
import java.util.Arrays;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.Text;

/**
 * The keyed reference table a stream is joined against: the build side of a HASH_JOIN. Built
 * once, single-threaded, from one {@link VectorSchemaRoot} holding every reference row; then
 * read-only, so any number of worker threads may {@link #probe} it at once.
 *
 * <pre>
 *   probe batch (stream)          index (one KeyIndex)               rows (Arrow columns, as loaded)
 *                              +-------------------------+          +----+------+-----+
 *   key vector(s) --rows[i]--> | DirectLongKeyIndex      |   row    | ID | NAME | ... |  0
 *                              |   int[key] -> row       | -------> |    |      |     |  1
 *                              | or LongKeyIndex         |          |    |      |     |  ...
 *                              |   long[] key,row pairs  |          +----+------+-----+
 *                              | or MultiColumnKeyIndex  |          next[] (on_duplicate: all)
 *                              |   long[] tag:row        |          | -1 | 5 | -1 | ... |
 *                              +-------------------------+          row -> next row, same key
 *
 *   outMatch[i] = first matching row or -1;   nextMatch(row) walks next[] in insertion order
 * </pre>
 *
 * The index is chosen at build time: a single int32/int64/timestamp key goes to the direct
 * {@code int[]} table when its keys are dense and non-negative, else to the long-keyed hash
 * table; string and composite keys go to the multi-column hash table. All three answer
 * identically. Rows with a null in any key column are counted and never indexed, and a null
 * probe key never matches.
 */
public final class ReferenceTable implements AutoCloseable {
  private final String operatorName;
  private final Schema schema;
  private final VectorSchemaRoot rows;
  private final int[] keyColumns;
  private final KeyColumn[] refKeys;
  private final OnDuplicate onDuplicate;
  private final KeyIndex index;
  private final int[] next;
  private final int keyCount;
  private final long replacedDuplicates;
  private final long nullKeyRows;
  /** Rows a reference filter left in (null: all); set once, right after the build. */
  private boolean[] kept;
  private long filteredOutRows;
  /** Per column: whether it may hold a null (computed once; a version never changes). */
  private boolean[] nullColumns;
  /** A version of a {@link LiveTable} (else null): rows its changes added after the base. */
  private final LiveTable.Version version;
  private boolean closed;

  private ReferenceTable(String operatorName, Schema schema, VectorSchemaRoot rows, int[] keyColumns,
      KeyColumn[] refKeys, OnDuplicate onDuplicate, KeyIndex index, int[] next, int keyCount, long replaced,
      long nullKeyRows) {
    this.operatorName = operatorName;
    this.schema = schema;
    this.rows = rows;
    this.keyColumns = keyColumns;
    this.refKeys = refKeys;
    this.onDuplicate = onDuplicate;
    this.index = index;
    this.next = next;
    this.keyCount = keyCount;
    this.replacedDuplicates = replaced;
    this.nullKeyRows = nullKeyRows;
    this.version = null;
  }

  /** A version of a live table: {@code base}'s rows and index, and the changes made since. */
  private ReferenceTable(ReferenceTable base, LiveTable.Version version) {
    this.operatorName = base.operatorName;
    this.schema = base.schema;
    this.rows = base.rows;
    this.keyColumns = base.keyColumns;
    this.refKeys = base.refKeys;
    this.onDuplicate = base.onDuplicate;
    this.index = base.index;
    this.next = base.next;
    this.keyCount = version.keyCount();
    this.replacedDuplicates = base.replacedDuplicates;
    this.nullKeyRows = base.nullKeyRows;
    this.kept = base.kept;
    this.filteredOutRows = version.hiddenKeys();
    this.nullColumns = version.nullColumns();
    this.version = version;
  }

  /**
   * The version of {@code base} (a table built with room after its rows, by {@link LiveTable})
   * that sees the changes of {@code version}. Closing it does not close the base's rows: they
   * belong to the base table.
   */
  static ReferenceTable version(ReferenceTable base, LiveTable.Version version) {
    return new ReferenceTable(base, version);
  }

  /**
   * Builds the table from all rows. Takes ownership of {@code rows} (closed by {@link #close},
   * or at once if the build fails).
   *
   * @param operatorName the join operator, for messages
   * @param schema the columns of {@code rows}
   * @param keyColumns indexes of the key columns in {@code rows}; int32, int64 and timestamp keys
   *     compare as long (int32 widened), string keys by their UTF-8 bytes
   * @throws JobExecutionException for {@link OnDuplicate#ERROR} at the first duplicate key, naming
   *     the key and both row numbers (counted from 1)
   * @throws InvalidJobException when a key column's type cannot be a join key
   */
  public static ReferenceTable build(String operatorName, Schema schema, VectorSchemaRoot rows,
      int[] keyColumns, OnDuplicate onDuplicate) {
    return build(operatorName, schema, rows, keyColumns, onDuplicate, IndexChoice.AUTO);
  }

  /** As above, with the index chosen by a test. */
  static ReferenceTable build(String operatorName, Schema schema, VectorSchemaRoot rows,
      int[] keyColumns, OnDuplicate onDuplicate, IndexChoice choice) {
    try {
      return new Builder(operatorName, schema, rows, keyColumns.clone(), onDuplicate).build(choice);
    } catch (RuntimeException | Error e) {
      rows.close();
      throw e;
    }
  }

  /**
   * A table of the rows a {@link ReferenceStore} found for one stream batch: hash-indexed (its
   * keys are few and sparse), keys already unique unless {@code all}, whose rows per key are in
   * insertion order. Takes ownership of {@code rows}.
   */
  public static ReferenceTable ofLookup(String operatorName, Schema schema, VectorSchemaRoot rows,
      int[] keyColumns, boolean all) {
    return build(operatorName, schema, rows, keyColumns, all ? OnDuplicate.ALL : OnDuplicate.LAST,
        IndexChoice.HASH);
  }

  public Schema schema() {
    return schema;
  }

  /** Rows in the columns: every row number a probe gives is below it. */
  public int rowCount() {
    return version == null ? rows.getRowCount() : version.end();
  }

  /**
   * The table's rows: as {@link #rowCount()}, but for a version of a {@link LiveTable} only the
   * current row of each key (and the rows with a null key), not the rows changes replaced.
   */
  public long liveRowCount() {
    return version == null ? rows.getRowCount() : (long) version.keyCount() + nullKeyRows;
  }

  /**
   * Whether column {@code i} may hold a null in a row this table gives: counted once per table
   * (the join's gather copies validity bits only for columns that may).
   */
  public boolean mayHaveNulls(int i) {
    boolean[] n = nullColumns;
    if (n == null) {
      n = new boolean[schema.size()];
      for (int c = 0; c < n.length; c++) n[c] = rows.getVector(c).getNullCount() > 0;
      nullColumns = n; // racy but idempotent: every thread computes the same flags
    }
    return n[i];
  }

  public FieldVector column(int i) {
    checkOpen();
    return rows.getVector(i);
  }

  /** The key columns' indexes, as given to {@link #build}. */
  public int[] keyColumns() {
    return keyColumns.clone();
  }

  public OnDuplicate onDuplicate() {
    return onDuplicate;
  }

  /** Distinct non-null keys stored. */
  public int keyCount() {
    return keyCount;
  }

  /** Rows that shared a key with an earlier row (last: replaced it, first: ignored; all: 0). */
  public long replacedDuplicates() {
    return replacedDuplicates;
  }

  /** Rows with a null in any key column: never match. */
  public long nullKeyRows() {
    return nullKeyRows;
  }

  /** The rows' key columns as bound for reading (for a {@link LiveTable}'s index of changes). */
  KeyColumn[] keyColumnsBound() {
    return refKeys.clone();
  }

  /** Whether base row {@code row} is left in by the reference filter. */
  boolean isKept(int row) {
    boolean[] k = kept;
    return k == null || k[row];
  }

  /** The index's rows for the keys of {@code probeRows} (for a {@link LiveTable}'s writer). */
  void probeIndex(FieldVector[] probeKeys, int[] probeRows, int n, int[] outMatch) {
    index.probe(probeKeys, probeRows, n, outMatch);
  }

  /** See {@link KeyIndex#holderOf}: for a {@link LiveTable}'s writer, {@code row} of its columns. */
  int holderOf(int row) {
    return index.holderOf(row);
  }

  /** See {@link KeyIndex#repoint}. */
  void repoint(int row) {
    index.repoint(row);
  }

  /**
   * Vectorized probe. {@code probeKeys[k]} is the stream-side vector for key column k (an
   * IntVector, BigIntVector, TimeStampMilliVector or VarCharVector; int32 and int64 compare
   * numerically). For i in [0, n): {@code rows[i]} is a row of the probe vectors, or -1 for none;
   * {@code outMatch[i]} becomes the (first) matching reference row, or -1 (also for a null key).
   * Allocates nothing; safe to call from several threads at once.
   */
  public void probe(FieldVector[] probeKeys, int[] rows, int n, int[] outMatch) {
    checkOpen();
    if (probeKeys.length != refKeys.length) {
      throw new SabotBug("probe with " + probeKeys.length + " key vectors against a reference table keyed by "
          + refKeys.length + " columns (" + keyNames() + ")");
    }
    for (int k = 0; k < probeKeys.length; k++) {
      int kind = KeyColumn.kindOf(probeKeys[k]);
      if (KeyColumn.isIntegral(kind) != KeyColumn.isIntegral(refKeys[k].kind())) {
        throw new SabotBug("probe key vector " + probeKeys[k].getName() + " (" + probeKeys[k].getClass().getSimpleName()
            + ") cannot be compared with reference key column " + schema.field(keyColumns[k]));
      }
    }
    index.probe(probeKeys, rows, n, outMatch);
    // a live table's index may name rows added after this version: their keys' rows before
    if (version != null) version.stepBack(outMatch, n);
    boolean[] k = kept;
    if (k != null) {
      for (int i = 0; i < n; i++) {
        int m = outMatch[i];
        // base rows only: the filter of an added row is in its version's state
        while (m >= 0 && m < k.length && !k[m]) m = next == null ? -1 : next[m];
        outMatch[i] = m;
      }
    }
    if (version != null) version.probe(probeKeys, rows, n, outMatch);
  }

  /** For {@link OnDuplicate#ALL}: the next row with the same key after {@code row}, or -1. */
  public int nextMatch(int row) {
    if (next == null || row >= next.length) return -1; // a live table's added rows: one per key
    int m = next[row];
    boolean[] k = kept;
    while (m >= 0 && k != null && !k[m]) m = next[m];
    return m;
  }

  /**
   * Hides the rows a HASH_JOIN's {@code reference_filter} rejects, after duplicates were resolved:
   * a key whose kept row is hidden then matches nothing. Called once, before the first probe.
   */
  public void keepOnly(boolean[] keep) {
    checkOpen();
    if (keep.length != rowCount()) {
      throw new SabotBug("row mask of " + keep.length + " rows for a table of " + rowCount());
    }
    long out = 0;
    for (boolean b : keep) out += b ? 0 : 1;
    this.filteredOutRows = out;
    this.kept = keep;
  }

  /** Rows hidden by the join's reference filter. */
  public long filteredOutRows() {
    return filteredOutRows;
  }

  /**
   * Bytes held: the index, the duplicate chain and the column buffers. Reads the buffers'
   * capacities only, so a running job's progress may ask from another thread while a live
   * table's changes are written: Arrow's {@code getFieldBuffers()} is no plain getter (on a
   * string column it fills the offsets up to the row count, moving where the next row is
   * written), and called so it emptied the keys of rows added since.
   */
  public long sizeInBytes() {
    long bytes = index.sizeInBytes() + (next == null ? 0 : 4L * next.length)
        + (version == null ? 0 : version.indexBytes());
    for (FieldVector v : rows.getFieldVectors()) {
      bytes += v.getValidityBuffer().capacity() + v.getDataBuffer().capacity();
      if (v instanceof BaseVariableWidthVector) bytes += v.getOffsetBuffer().capacity();
    }
    return bytes;
  }

  /** {@code direct}, {@code hash-long} or {@code hash-multi}: for tests and reports. */
  String indexKind() {
    return index.kind();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      if (version == null) rows.close();
    }
  }

  private void checkOpen() {
    if (closed) throw new SabotBug("reference table of operator " + operatorName + " was read after it was closed");
  }

  private String keyNames() {
    StringBuilder sb = new StringBuilder();
    for (int k : keyColumns) sb.append(sb.length() == 0 ? "" : ", ").append(schema.field(k).name());
    return sb.toString();
  }

  /** One build: checks the inputs, picks the index, inserts every row under the policy. */
  private static final class Builder {
    private final String operatorName;
    private final Schema schema;
    private final VectorSchemaRoot rows;
    private final int[] keyColumns;
    private final OnDuplicate onDuplicate;
    private final KeyColumn[] refKeys;

    Builder(String operatorName, Schema schema, VectorSchemaRoot rows, int[] keyColumns, OnDuplicate onDuplicate) {
      this.operatorName = operatorName;
      this.schema = schema;
      this.rows = rows;
      this.keyColumns = keyColumns;
      this.onDuplicate = onDuplicate;
      if (schema.size() != rows.getFieldVectors().size()) {
        throw new SabotBug("reference schema " + schema + " has " + schema.size() + " columns but its rows have "
            + rows.getFieldVectors().size());
      }
      if (keyColumns.length == 0) {
        throw new SabotBug("reference table of operator " + operatorName + " has no key column");
      }
      this.refKeys = new KeyColumn[keyColumns.length];
      for (int k = 0; k < keyColumns.length; k++) {
        ColumnType type = schema.field(keyColumns[k]).type();
        if (!type.isIntegral() && type != ColumnType.STRING) {
          throw new InvalidJobException("key column " + schema.field(keyColumns[k]).name() + " of operator "
              + operatorName + " has type " + type + "; a join key must be int32, int64, timestamp or string");
        }
        refKeys[k] = KeyColumn.of(rows.getVector(keyColumns[k]));
        if (KeyColumn.isIntegral(refKeys[k].kind()) != type.isIntegral()) {
          throw new SabotBug("reference column " + schema.field(keyColumns[k]) + " holds a "
              + rows.getVector(keyColumns[k]).getClass().getSimpleName());
        }
      }
    }

    ReferenceTable build(IndexChoice choice) {
      int rowCount = rows.getRowCount();
      KeyIndex index = chooseIndex(rowCount, choice);
      boolean all = onDuplicate == OnDuplicate.ALL;
      boolean replace = onDuplicate == OnDuplicate.LAST;
      int[] next = all ? filled(rowCount) : null;
      int[] tail = all ? new int[rowCount] : null; // tail[first row of a key] = its last row so far
      int keyCount = 0;
      long replaced = 0;
      long nullKeyRows = 0;
      for (int row = 0; row < rowCount; row++) {
        if (anyNull(row)) {
          nullKeyRows++;
          continue;
        }
        int held = index.put(row, replace);
        if (held < 0) {
          keyCount++;
          if (all) tail[row] = row;
        } else if (all) {
          next[tail[held]] = row;
          tail[held] = row;
        } else if (onDuplicate == OnDuplicate.ERROR) {
          throw duplicate(held, row);
        } else {
          replaced++;
        }
      }
      return new ReferenceTable(operatorName, schema, rows, keyColumns, refKeys, onDuplicate, index, next, keyCount,
          replaced, nullKeyRows);
    }

    private KeyIndex chooseIndex(int rowCount, IndexChoice choice) {
      if (refKeys.length > 1 || refKeys[0].kind() == KeyColumn.STRING) {
        return new MultiColumnKeyIndex(refKeys, rowCount, choice.hashMask());
      }
      KeyColumn key = refKeys[0];
      long nonNull = 0;
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (int row = 0; row < rowCount; row++) {
        if (key.isNull(row)) continue;
        long v = key.longAt(row);
        nonNull++;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      if (choice == IndexChoice.AUTO && (nonNull == 0 || DirectLongKeyIndex.suits(min, max, nonNull))) {
        return new DirectLongKeyIndex(key, nonNull == 0 ? -1 : max);
      }
      return new LongKeyIndex(key, nonNull);
    }

    private boolean anyNull(int row) {
      for (KeyColumn c : refKeys) {
        if (c.isNull(row)) return true;
      }
      return false;
    }

    private JobExecutionException duplicate(int first, int second) {
      StringBuilder key = new StringBuilder();
      for (int k : keyColumns) {
        Object value = rows.getVector(k).getObject(second);
        key.append(key.length() == 0 ? "" : ", ").append(schema.field(k).name()).append('=')
            .append(value instanceof Text ? "\"" + value + "\"" : String.valueOf(value));
      }
      return new JobExecutionException(operatorName, null, "duplicate key " + key
          + " in the reference input (rows " + (first + 1) + " and " + (second + 1)
          + "); on_duplicate: error stops at the first duplicate; use last, first or all");
    }

    private static int[] filled(int n) {
      int[] a = new int[n];
      Arrays.fill(a, -1);
      return a;
    }
  }
}
