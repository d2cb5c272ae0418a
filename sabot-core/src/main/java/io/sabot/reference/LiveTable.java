package io.sabot.reference;

import io.sabot.graph.OnDuplicate;
import io.sabot.types.Schema;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A reference table that takes a changelog's changes in place, instead of being rebuilt for each:
 * one base table, built from a full snapshot into columns with room after its rows, and the rows
 * changes add written into that room, never over a row a version can see.
 *
 * <pre>
 *   columns: [ base rows 0 .. b-1 | added rows b .. end-1 | room ............ ]
 *   base index ─► key ─► its newest row (a base row, or an added row once the key changed)
 *   prev:        added row ─► the key's row before it (base or added), or -1
 *   {@link DeltaIndex} ─► key ─► newest added row, for keys the base index cannot take (new keys
 *                of a hash index; a direct index takes any key within its range), made at the
 *                first such key
 *   version v = (base, end_v): probe the base index; a row at or past end_v is newer than v:
 *              step back along prev to the key's row before end_v; then the delta as of end_v
 *              for keys not found; a tombstone row, or one the reference filter hides, matches
 *              nothing
 * </pre>
 *
 * So a change costs the rows it touches, and a version costs a few fields: each stream batch
 * still probes one consistent version, and probers take no lock while {@link #apply} adds rows
 * past every version's end. A key's slot in the base index names its newest row, so the probe
 * of a changed key costs what the probe of an unchanged one does (one compare more); only a key
 * changed after the version was taken steps back. An added row, its link and its visibility are
 * written before the slot names it (a release store), and probers read them after the slot
 * (an acquire fence), so a prober never reads half a row.
 *
 * <p>Keys stay unique: {@link #apply} takes changes only while every key has one row (the
 * on_duplicate rule then never applies, so it keeps its meaning). It returns null, and the
 * caller rebuilds the table from a full snapshot (which applies on_duplicate and the filter as
 * any build does), when a change would give a key a second row, when the room is used up, or
 * when the base itself had duplicate keys.
 *
 * <p>{@link #apply} is for one thread at a time; versions may be probed by any number.
 */
public final class LiveTable implements AutoCloseable {
  /** Added row states. */
  private static final byte VISIBLE = 0;
  private static final byte HIDDEN = 1;
  private static final byte TOMBSTONE = 2;

  /** Filters rows by the join's reference filter; null for a join without one. */
  public interface Visibility {
    /** keep[row] for the rows of {@code batch}. */
    boolean[] keep(VectorSchemaRoot batch);
  }

  private final String operatorName;
  private final OnDuplicate onDuplicate;
  private final ReferenceTable base;
  private final VectorSchemaRoot storage;
  private final Schema schema;
  private final int[] keyColumns;
  private final Visibility visibility;
  private final int baseRows;
  private final int capacity;
  private final boolean unique;
  /**
   * Made at the first key the base index cannot take, null until then: a table with a direct
   * index may never need one, and a 10M-row table's (sized for all its room at once, so its slots
   * never move) took 128 MB and a tenth of a second at every build, on a restart's path too.
   * Written once, by the thread that applies steps, before the first version with a row in it is
   * made; probers read it only through their version ({@link Version#delta}).
   */
  private DeltaIndex delta;
  /** prev[row - baseRows]: the key's row before added row {@code row}, or -1. */
  private final int[] prev;
  private final byte[] state;
  /**
   * Per row of the capacity: the row that took its key's place after it (the key's next row),
   * or MAX_VALUE: a row is its key's current row as of a version that ends at or before that.
   */
  private final int[] supersededAt;
  private final boolean[] nulls;
  /**
   * Why a step stopped after writing past the end (null: none did): no further step is taken.
   */
  private String brokenBecause;
  private int end;
  private String refusal;
  private long keyCount;
  private long hiddenKeys;
  private long rowsChanged;
  private Version current;

  private LiveTable(String operatorName, OnDuplicate onDuplicate, ReferenceTable base,
                    VectorSchemaRoot storage, int[] keyColumns, Visibility visibility, int capacity) {
    this.operatorName = operatorName;
    this.onDuplicate = onDuplicate;
    this.base = base;
    this.storage = storage;
    this.schema = base.schema();
    this.keyColumns = keyColumns;
    this.visibility = visibility;
    this.baseRows = base.rowCount();
    this.capacity = capacity;
    this.unique = base.replacedDuplicates() == 0
        && base.keyCount() == base.rowCount() - base.nullKeyRows();
    this.prev = new int[Math.max(1, capacity - baseRows)];
    this.state = new byte[Math.max(0, capacity - baseRows)];
    this.supersededAt = new int[capacity];
    Arrays.fill(supersededAt, Integer.MAX_VALUE);
    this.nulls = new boolean[schema.size()];
    for (int c = 0; c < nulls.length; c++) nulls[c] = base.mayHaveNulls(c);
    this.end = baseRows;
    this.keyCount = base.keyCount();
    this.hiddenKeys = base.filteredOutRows();
    this.current = new Version(this, end, keyCount, hiddenKeys, nulls.clone());
  }

  /**
   * Builds the table from all its rows ({@code batches}, closed here), with room for about
   * {@code room} rows added by changes.
   *
   * @throws io.sabot.error.JobExecutionException as {@link ReferenceTable#build} does, for
   *     {@code on_duplicate: error} at the first duplicate key
   */
  public static LiveTable build(String operatorName, Schema schema, List<VectorSchemaRoot> batches,
                                int[] keyColumns, OnDuplicate onDuplicate, Visibility visibility,
                                int room, BufferAllocator allocator) {
    VectorSchemaRoot storage = withRoom(batches, schema, room, allocator);
    return onStorage(operatorName, schema, storage, keyColumns, onDuplicate, visibility, room);
  }

  /** The table of the rows of {@code storage} (owned from here on), with room after them. */
  private static LiveTable onStorage(String operatorName, Schema schema, VectorSchemaRoot storage,
                                     int[] keyColumns, OnDuplicate onDuplicate,
                                     Visibility visibility, int room) {
    ReferenceTable base;
    try {
      base = ReferenceTable.build(operatorName, schema, storage, keyColumns, onDuplicate);
    } catch (RuntimeException | Error e) {
      storage.close();
      throw e;
    }
    try {
      if (visibility != null) base.keepOnly(visibility.keep(storage));
      // the room asked for, not what the vectors' rounding up gives: rebuilds come when expected
      int capacity = (int) Math.min(rowCapacity(storage), (long) storage.getRowCount() + room);
      return new LiveTable(operatorName, onDuplicate, base, storage, keyColumns.clone(),
          visibility, capacity);
    } catch (RuntimeException | Error e) {
      base.close();
      throw e;
    }
  }

  /**
   * A new table of this table's rows as of {@code version} (each key's current row, hidden rows
   * included, tombstones and replaced rows left out), with fresh room: a rebuild that reads no
   * snapshot from the feed. Safe on another thread while {@link #apply} goes on: it reads only
   * rows before the version's end, which no step writes again. The caller keeps this table open
   * until it returns.
   */
  public LiveTable compact(ReferenceTable version, BufferAllocator allocator) {
    return compact(version, 0, allocator);
  }

  /** As above, with room for at least {@code leastRoom} rows (more than {@link #roomFor} gives). */
  public LiveTable compact(ReferenceTable version, int leastRoom, BufferAllocator allocator) {
    int until = version.rowCount();
    int[] rows = new int[until];
    int n = 0;
    for (int r = 0; r < until; r++) {
      if (supersededAt[r] < until) continue; // replaced, or removed (by a tombstone), by then
      if (r >= baseRows && state[r - baseRows] == TOMBSTONE) continue;
      rows[n++] = r;
    }
    int room = Math.max(roomFor(n), leastRoom);
    VectorSchemaRoot compacted = Columns.gather(storage, rows, n, schema, room, allocator);
    return onStorage(operatorName, schema, compacted, keyColumns, onDuplicate, visibility, room);
  }

  /**
   * The room to leave for changes after {@code rows} base rows: a quarter of them, at least 4,096
   * and at most 4M rows. When half of it is used the table is rebuilt in the background.
   */
  public static int roomFor(long rows) {
    return (int) Math.max(4096, Math.min(rows / 4, 4L << 20));
  }

  /** The version with every change applied so far, as a table (closing it leaves the base open). */
  public ReferenceTable current() {
    return ReferenceTable.version(base, current);
  }

  /** The base table (owning the columns), closed once no version is in use. */
  public ReferenceTable base() {
    return base;
  }

  /** Rows added or removed by changes applied in place. */
  public long rowsChanged() {
    return rowsChanged;
  }

  /**
   * Why {@link #apply} refuses every step (the base had duplicate keys, or a step broke the
   * table: the caller builds a new table), or null when it may take one.
   */
  public String refusesEveryStep() {
    return !unique ? "its base had duplicate keys"
        : brokenBecause != null ? "an earlier step " + brokenBecause : null;
  }

  /** Rows added after the base, tombstones included, and how many fit. */
  public int addedRows() {
    return end - baseRows;
  }

  public int room() {
    return capacity - baseRows;
  }

  /**
   * Applies one changelog step: {@code removed} (the earlier rows of the keys changed or
   * deleted, as the reference pipeline gives them) and {@code added} (the current rows of the
   * keys inserted or changed), both in this table's schema. Returns true when applied, and then
   * {@link #current()} sees the change; false when the change cannot be applied in place (a key
   * would have two rows, a removed row is not in the table, or the room is used up): the caller
   * builds a new table from a full snapshot. A false leaves every version as it was (and after
   * one that found a key twice among the added rows, every later step is refused too).
   */
  public boolean apply(VectorSchemaRoot removed, VectorSchemaRoot added) {
    String never = refusesEveryStep();
    if (never != null) return refuse(never);
    int nRemoved = removed.getRowCount();
    int nAdded = added.getRowCount();
    FieldVector[] removedKeys = keyVectors(removed);
    FieldVector[] addedKeys = keyVectors(added);
    int[] removedRows = identity(nRemoved, removedKeys);
    int[] addedRows = identity(nAdded, addedKeys);
    // every removed row must be a row of the table: its key's current row (its holder)
    int[] removedHolder = holders(removedKeys, removedRows, nRemoved);
    HolderSet leaving = new HolderSet(nRemoved);
    for (int i = 0; i < nRemoved; i++) {
      if (removedRows[i] < 0) continue;
      if (removedHolder[i] < 0) return refuse("a removed row is not the table's row of its key");
      if (!leaving.add(removedHolder[i])) return refuse("two removed rows of one key");
    }
    // keys stay unique: an added key is new, or its holder leaves in this step
    int[] addedHolder = holders(addedKeys, addedRows, nAdded);
    for (int i = 0; i < nAdded; i++) {
      if (addedRows[i] >= 0 && addedHolder[i] >= 0 && !leaving.contains(addedHolder[i])) {
        return refuse("an added key has a row that is not removed");
      }
    }
    if (!fits(added, addedRows, nAdded, removed, removedRows)) return refuse("its room is used up");
    boolean[] keep = visibility == null || nAdded == 0 ? null : visibility.keep(added);
    // from here rows are written past every version's end: a refusal leaves the versions as they
    // were, but this table takes no further step (the caller rebuilds)
    int stepStart = end;
    int row = end;
    long keys = keyCount;
    long hidden = hiddenKeys;
    boolean[] stepNulls = nulls.clone();
    int changed = 0;
    for (int i = 0; i < nRemoved; i++) {
      if (removedRows[i] < 0) continue;
      changed++;
      keys--;
      if (isHidden(removedHolder[i])) hidden--;
    }
    // the added rows' values first, column by column, then their keys into the index
    int[] at = new int[nAdded];
    for (int i = 0; i < nAdded; i++) at[i] = addedRows[i] < 0 ? -1 : row++;
    copyRows(added, at, nAdded);
    for (int i = 0; i < nAdded; i++) {
      if (at[i] < 0) continue; // a null key: never indexed, as in a build
      boolean visible = keep == null || keep[i];
      state[at[i] - baseRows] = visible ? VISIBLE : HIDDEN;
      if (link(at[i]) >= stepStart) { // the same key twice in this step
        brokenBecause = "added a key twice";
        return refuse("a key twice in one step");
      }
      if (addedHolder[i] >= 0) leaving.replace(addedHolder[i]);
      keys++;
      changed++;
      if (!visible) hidden++;
    }
    for (int c = 0; c < stepNulls.length; c++) {
      FieldVector v = added.getVector(c);
      for (int i = 0; i < nAdded && !stepNulls[c]; i++) {
        stepNulls[c] = at[i] >= 0 && (keep == null || keep[i]) && v.isNull(i);
      }
    }
    for (int i = 0; i < nRemoved; i++) {
      if (removedRows[i] < 0 || leaving.isReplaced(removedHolder[i])) continue;
      copyKey(removed, i, row);
      state[row - baseRows] = TOMBSTONE;
      link(row);
      row++;
    }
    rowsChanged += changed;
    end = row;
    keyCount = keys;
    hiddenKeys = hidden;
    System.arraycopy(stepNulls, 0, nulls, 0, nulls.length);
    current = new Version(this, end, keyCount, hiddenKeys, nulls.clone());
    return true;
  }

  /** Why the last step refused was refused (null: none was), for the join's summary. */
  public String lastRefusal() {
    return refusal;
  }

  private boolean refuse(String why) {
    refusal = why;
    return false;
  }

  /**
   * Makes added row {@code row} (complete: its columns and state written) its key's newest row:
   * in the base index when it holds the key (or can take it), else in the delta index. Returns
   * the key's newest row before, or -1.
   */
  private int link(int row) {
    int held = base.holderOf(row);
    if (held == KeyIndex.NOT_HELD) {
      if (delta == null) { // mid-step: should it fail, the table takes no further step
        brokenBecause = "could not make its delta index";
        delta = new DeltaIndex(base.keyColumnsBound(), baseRows, prev);
        brokenBecause = null;
      }
      held = delta.add(row);
    } else {
      prev[row - baseRows] = held;
      base.repoint(row); // a release store: the row and its link are seen with it
    }
    if (held >= 0) supersededAt[held] = row;
    return held;
  }

  /**
   * The rows one step removes from the table (their holders), each marked once an added row of
   * the same key replaces it: open addressing over row numbers, sized for the step.
   */
  private static final class HolderSet {
    private final int[] rows;
    private final boolean[] replaced;
    private final int mask;

    HolderSet(int expected) {
      int capacity = Integer.highestOneBit(Math.max(4, expected * 2) - 1) << 1;
      rows = new int[capacity];
      java.util.Arrays.fill(rows, -1);
      replaced = new boolean[capacity];
      mask = capacity - 1;
    }

    private int slot(int row) {
      int s = (int) (Hashing.mixLong(row) >>> 40) & mask;
      while (rows[s] != -1 && rows[s] != row) s = (s + 1) & mask;
      return s;
    }

    /** False when {@code row} is in the set already (two removed rows of one key). */
    boolean add(int row) {
      int s = slot(row);
      if (rows[s] == row) return false;
      rows[s] = row;
      return true;
    }

    boolean contains(int row) {
      return rows[slot(row)] == row;
    }

    void replace(int row) {
      replaced[slot(row)] = true;
    }

    boolean isReplaced(int row) {
      int s = slot(row);
      return rows[s] == row && replaced[s];
    }
  }

  /** Whether storage row {@code row} (a holder: base or added, not a tombstone) is filtered out. */
  private boolean isHidden(int row) {
    return row < baseRows ? !base.isKept(row) : state[row - baseRows] == HIDDEN;
  }

  /** Per row: the table's current row holding its key (-1: none, or a tombstone). */
  private int[] holders(FieldVector[] keys, int[] rows, int n) {
    int[] held = new int[n];
    base.probeIndex(keys, rows, n, held);
    if (delta != null) delta.probe(keys, rows, n, end, held);
    for (int i = 0; i < n; i++) {
      int r = held[i];
      if (r >= baseRows && state[r - baseRows] == TOMBSTONE) held[i] = -1;
    }
    return held;
  }

  private FieldVector[] keyVectors(VectorSchemaRoot batch) {
    FieldVector[] v = new FieldVector[keyColumns.length];
    for (int k = 0; k < v.length; k++) v[k] = batch.getVector(keyColumns[k]);
    return v;
  }

  /** 0 .. n-1, with -1 for the rows with a null key part (never in an index). */
  private static int[] identity(int n, FieldVector[] keys) {
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
      for (FieldVector k : keys) {
        if (k.isNull(i)) {
          rows[i] = -1;
          break;
        }
      }
    }
    return rows;
  }

  /** Whether the rows to add, and the tombstones' keys, fit in the room left. */
  private boolean fits(VectorSchemaRoot added, int[] addedRows, int nAdded,
                       VectorSchemaRoot removed, int[] removedRows) {
    int newRows = 0;
    for (int r : addedRows) newRows += r >= 0 ? 1 : 0;
    for (int r : removedRows) newRows += r >= 0 ? 1 : 0; // at most one tombstone each
    if ((long) end + newRows > capacity) return false;
    for (int c = 0; c < schema.size(); c++) {
      if (!(storage.getVector(c) instanceof BaseVariableWidthVector)) continue;
      BaseVariableWidthVector target = (BaseVariableWidthVector) storage.getVector(c);
      long bytes = 0;
      // every span copied (Columns.scatter copies null rows' spans too)
      ArrowBuf offsets = added.getVector(c).getOffsetBuffer();
      for (int i = 0; i < nAdded; i++) {
        if (addedRows[i] >= 0) {
          bytes += offsets.getInt((i + 1L) * BaseVariableWidthVector.OFFSET_WIDTH)
              - offsets.getInt((long) i * BaseVariableWidthVector.OFFSET_WIDTH);
        }
      }
      if (isKey(c)) {
        BaseVariableWidthVector gone = (BaseVariableWidthVector) removed.getVector(c);
        for (int i = 0; i < removedRows.length; i++) {
          if (removedRows[i] >= 0) bytes += gone.getValueLength(i);
        }
      }
      long used = target.getOffsetBuffer().getInt((long) end * BaseVariableWidthVector.OFFSET_WIDTH);
      if (used + bytes > target.getDataBuffer().capacity()) return false;
    }
    return true;
  }

  private boolean isKey(int column) {
    for (int k : keyColumns) {
      if (k == column) return true;
    }
    return false;
  }

  /**
   * Copies row i of {@code batch} to storage row {@code at[i]} (none for -1), column by column
   * (within capacity: no reallocation).
   */
  private void copyRows(VectorSchemaRoot batch, int[] at, int n) {
    for (int c = 0; c < schema.size(); c++) {
      Columns.scatter(batch.getVector(c), at, n, storage.getVector(c));
    }
  }

  /** A tombstone: the key columns of row {@code from}, every other column null. */
  private void copyKey(VectorSchemaRoot batch, int from, int to) {
    for (int c = 0; c < schema.size(); c++) {
      FieldVector target = storage.getVector(c);
      if (isKey(c)) {
        target.copyFrom(from, to, batch.getVector(c));
      } else {
        target.setNull(to);
        if (target instanceof BaseVariableWidthVector) {
          // an empty value, so the next row's bytes start where this row's would have
          long at = (long) to * BaseVariableWidthVector.OFFSET_WIDTH;
          target.getOffsetBuffer().setInt(at + BaseVariableWidthVector.OFFSET_WIDTH,
              target.getOffsetBuffer().getInt(at));
        }
      }
    }
  }

  /**
   * The base rows in new columns with room for {@code room} more rows (and, for strings, room for
   * twice the base's average length per added row).
   */
  private static VectorSchemaRoot withRoom(List<VectorSchemaRoot> batches, Schema schema, int room,
                                           BufferAllocator allocator) {
    try {
      return Columns.concatenate(batches, schema, Math.max(1, room), allocator);
    } finally {
      batches.forEach(VectorSchemaRoot::close);
      batches.clear();
    }
  }

  private static int rowCapacity(VectorSchemaRoot storage) {
    int c = Integer.MAX_VALUE;
    for (FieldVector v : storage.getFieldVectors()) c = Math.min(c, v.getValueCapacity());
    return c;
  }

  /** Closes the base (its columns): only once no version of this table is probed any more. */
  @Override
  public void close() {
    base.close();
  }

  /** One version: the rows before {@code end}, and its counts. Immutable. */
  static final class Version {
    private final LiveTable table;
    private final int end;
    private final long keyCount;
    private final long hiddenKeys;
    private final boolean[] nullColumns;
    /**
     * The table's delta index as this version was made (on the thread applying steps), null
     * while none was needed: a version made before the index holds none of its rows, and one
     * made after reaches it through this final field, fully built.
     */
    private final DeltaIndex delta;

    Version(LiveTable table, int end, long keyCount, long hiddenKeys, boolean[] nullColumns) {
      this.table = table;
      this.delta = table.delta;
      this.end = end;
      this.keyCount = keyCount;
      this.hiddenKeys = hiddenKeys;
      this.nullColumns = nullColumns;
    }

    int end() {
      return end;
    }

    int keyCount() {
      return (int) keyCount;
    }

    long hiddenKeys() {
      return hiddenKeys;
    }

    boolean[] nullColumns() {
      return nullColumns;
    }

    long indexBytes() {
      return (delta == null ? 0 : delta.sizeInBytes()) + 4L * table.prev.length + table.state.length
          + 4L * table.supersededAt.length;
    }

    /**
     * Right after the base index's probe: each row the index named that was added at or after
     * this version's end (its key changed since) becomes the key's row before the end, or -1.
     */
    void stepBack(int[] outMatch, int n) {
      int first = table.baseRows;
      VarHandle.acquireFence(); // the slots were read: now the links of the rows they name
      int[] prev = table.prev;
      for (int i = 0; i < n; i++) {
        int m = outMatch[i];
        if (m < end) continue;
        do {
          m = prev[m - first];
        } while (m >= end);
        outMatch[i] = m;
      }
    }

    /**
     * After {@link #stepBack} and the base rows' filter: an added row matches when it is visible
     * (not hidden by the filter, not a tombstone); keys not found are looked up in the delta.
     */
    void probe(FieldVector[] probeKeys, int[] rows, int n, int[] outMatch) {
      int baseRows = table.baseRows;
      if (end == baseRows) return;
      if (delta != null && delta.holdsRowsBefore(end)) delta.probe(probeKeys, rows, n, end, outMatch);
      byte[] state = table.state;
      for (int i = 0; i < n; i++) {
        int m = outMatch[i];
        if (m >= baseRows && state[m - baseRows] != VISIBLE) outMatch[i] = -1;
      }
    }
  }
}
