package io.sabot.kafka;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ReferenceFeed;
import io.sabot.connect.text.ColumnValues;
import io.sabot.connect.text.RecordDecoder;
import io.sabot.error.SabotBug;
import io.sabot.reference.Columns;
import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.ByteFunctionHelpers;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.TransferPair;

/**
 * The decoded rows of a changelog and which of them are live: every record is decoded once, when
 * it arrives, straight into Arrow batches (appended in arrival order, never rewritten); each key
 * has a slot (in the order keys were first inserted, since their last delete) pointing at the
 * rows of its latest record. A newer record of a key or a delete only moves or clears the slot:
 * the old rows stay where they are, dead, until a compaction copies the live rows away.
 *
 * <pre>
 *   batches:  [b0: rows 0..8191][b1: rows 8192..][open batch, being filled]
 *   slots:    slot 0 ─► rows [0, 1)   slot 1 ─► rows [9000, 9001) (updated)   slot 2 ─► none (deleted)
 *   snapshot: live rows in slot order, as runs of consecutive rows ─► slices of the batches
 *             (buffers shared, not copied); too fragmented or too many dead rows ─► compact first
 *   changes:  the rows then and now of the slots touched since ({@link SlotChanges}), as slices
 * </pre>
 *
 * Not thread-safe: the feed's thread only.
 */
final class ChangelogRows implements AutoCloseable {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final Schema stored;
  private final BufferAllocator allocator;
  private final int batchSize;
  private final RecordDecoder text;

  // sealed batches and the row number of their first row
  private final List<VectorSchemaRoot> batches = new ArrayList<>();
  private long[] batchStart = new long[16];
  private long sealedRows;
  // the batch being filled (null: none), its rows
  private VectorSchemaRoot open;
  private int openRows;

  // per slot: first row of the key's current record (-1: no record), its row count, value hash
  private long[] slotRow = new long[1024];
  private int[] slotCount = new int[1024];
  private long[] slotHash = new long[1024];
  private int slots;
  private int liveKeys;
  private long liveRows;
  // the slots touched since the last snapshot or changes, and their rows then
  private final SlotChanges touched = new SlotChanges();

  // The kept join key (-1: none): once a step asks for one integer column alone of its removed
  // rows (LiveTable reads only their keys) and every record is one row (jsonl, csv), each slot
  // keeps that column's value as its row is added, read from the batch just written. A step's
  // removed keys are then the kept ones, and no earlier row is read: each lay anywhere among the
  // rows held, a cache miss or more a row, the largest part of a step.
  private int keptKey = -1;
  private long[] slotKey;
  private long[] slotKeyNull; // a bit a slot: its key is null
  // a slot held a record of several rows when keeping began: removed rows are read, as before
  private boolean keysUnknown;
  // the touches since the last reset carry their slots' kept keys
  private boolean touchesHaveKeys;
  // steps whose removed keys were the kept ones (for tests)
  private long keptKeySteps;

  /**
   * @param stored the decoded columns
   * @param text   the decoder of jsonl and csv values (null for arrow)
   */
  ChangelogRows(Schema stored, BufferAllocator allocator, int batchSize, RecordDecoder text) {
    this.stored = stored;
    this.allocator = allocator;
    this.batchSize = Math.max(1, batchSize);
    this.openCapacity = this.batchSize;
    this.text = text;
  }

  // ---------------------------------------------------------------------------------- appending

  /** Rows appended so far (dead or alive): the number of the next row. */
  long rowsAppended() {
    return sealedRows + openRows;
  }

  private void openBatch() {
    open = stored.newBatch(allocator);
    if (text != null) {
      text.start(open, openCapacity);
    } else {
      for (FieldVector v : open.getFieldVectors()) {
        v.setInitialCapacity(Math.min(openCapacity, 4096));
        v.allocateNew();
      }
    }
    openRows = 0;
  }

  /** The fewest rows a batch is opened for after a step of changes. */
  static final int LEAST_OPEN = 64;

  /**
   * The rows the next batch is allocated for (it grows past them as rows come): a batch's worth,
   * but after a step of changes about twice that step's rows. Each step seals the batch being
   * filled, so a feed read through changes opens one per step: at 100K changes a second and a
   * step every few milliseconds, allocating (and zeroing) a whole batch of every column each time
   * cost more than decoding the records.
   */
  private int openCapacity;
  /** The rows the next batch opened is allocated for (for tests). */
  int openCapacity() {
    return openCapacity;
  }

  /** {@link #rowsAppended()} after the last step of changes. */
  private long rowsAtLastStep;

  /**
   * Decodes a jsonl or csv value as the next row (number {@link #rowsAppended()} before the
   * call); null, or why it cannot be decoded (then nothing was appended).
   */
  String decode(byte[] b, int off, int len) throws java.io.IOException {
    if (open == null) openBatch();
    String reason = text.decode(b, off, len);
    if (reason == null) {
      openRows++;
      if (openRows >= batchSize) seal();
    }
    return reason;
  }

  /** Copies row {@code row} of {@code from} (with the stored columns, in order) as the next row. */
  void copyRow(VectorSchemaRoot from, int row) {
    if (open == null) openBatch();
    for (int c = 0; c < stored.size(); c++) {
      open.getVector(c).copyFromSafe(row, openRows, from.getVector(c));
    }
    openRows++;
    if (openRows >= batchSize) seal();
  }

  /** Takes {@code batch} (the stored columns) as the next rows. */
  void addBatch(VectorSchemaRoot batch) {
    seal();
    addSealed(batch);
  }

  private void addSealed(VectorSchemaRoot batch) {
    if (batches.size() == batchStart.length) batchStart = Arrays.copyOf(batchStart, batchStart.length * 2);
    batchStart[batches.size()] = sealedRows;
    batches.add(batch);
    sealedRows += batch.getRowCount();
  }

  /** Sealed batches held (for tests). */
  int sealedBatches() {
    return batches.size();
  }

  /** How many small sealed batches at the end are joined into one. */
  static final int COALESCED = 16;

  /**
   * Joins the small sealed batches at the end into one, once there are {@link #COALESCED} of
   * them. A step of changes seals the batch being filled, so a feed read through changes
   * leaves a small batch per step; without this, their number soon makes a compaction copy the
   * whole table (hundreds of times a minute at 100K updates/s). The rows keep their numbers
   * (the same rows, in the same order), so no slot moves.
   */
  private void coalesceTail() {
    int first = batches.size();
    long rows = 0;
    while (first > 0) {
      int n = batches.get(first - 1).getRowCount();
      if (n >= batchSize || rows + n > batchSize) break;
      rows += n;
      first--;
    }
    if (batches.size() - first < COALESCED) return;
    List<VectorSchemaRoot> tail = batches.subList(first, batches.size());
    VectorSchemaRoot merged = Columns.concatenate(tail, stored, 0, allocator);
    tail.forEach(VectorSchemaRoot::close);
    tail.clear();
    sealedRows -= rows;
    addSealed(merged);
  }

  /** Ends the batch being filled: it joins the sealed batches (or is dropped when empty). */
  private void seal() {
    if (open == null) return;
    VectorSchemaRoot b = open;
    open = null;
    if (openRows == 0) {
      b.close();
      return;
    }
    if (text != null) {
      text.finish(b);
    } else {
      b.setRowCount(openRows);
    }
    openRows = 0;
    addSealed(b);
  }

  // where a row is: the batch (sealed or open) and the row in it
  private VectorSchemaRoot foundBatch;
  private int foundRow;

  private void locate(long row) {
    if (row >= sealedRows) {
      foundBatch = open;
      foundRow = (int) (row - sealedRows);
      return;
    }
    int i = Arrays.binarySearch(batchStart, 0, batches.size(), row);
    if (i < 0) i = -i - 2;
    // batches of 0 rows share their start with the next one: take the last of them
    while (i + 1 < batches.size() && batchStart[i + 1] == row) i++;
    foundBatch = batches.get(i);
    foundRow = (int) (row - batchStart[i]);
  }

  /** The vector of stored column {@code column} holding row {@code row}, and the row in it. */
  FieldVector vector(long row, int column) {
    locate(row);
    return foundBatch.getVector(column);
  }

  /** The index in {@link #vector(long, int)}'s vector of the last row asked for. */
  int rowInVector() {
    return foundRow;
  }

  // -------------------------------------------------------------------------------------- slots

  /** A hash of a record's value, to tell a changed value from the same one written again. */
  static long hash(byte[] b, int off, int len) {
    long h = 0x9E3779B97F4A7C15L ^ len;
    int i = off;
    int end = off + len;
    for (; i + 8 <= end; i += 8) {
      h = Long.rotateLeft(h ^ ((long) LONGS.get(b, i) * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
    }
    for (; i < end; i++) h = (h ^ b[i]) * 0x100000001B3L;
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    return h ^ (h >>> 33);
  }

  /**
   * Room for the slots of about {@code keys} keys (a bootstrap knows how many records it reads),
   * so the slot arrays are not grown, and copied, step by step.
   */
  void expect(long keys) {
    int n = (int) Math.min(keys, 1 << 22);
    if (n <= slotRow.length) return;
    slotRow = Arrays.copyOf(slotRow, n);
    slotCount = Arrays.copyOf(slotCount, n);
    slotHash = Arrays.copyOf(slotHash, n);
  }

  /** Room for exactly {@code keys} slots (a snapshot being loaded knows how many it holds). */
  void reserve(int keys) {
    if (keys <= slotRow.length) return;
    slotRow = Arrays.copyOf(slotRow, keys);
    slotCount = Arrays.copyOf(slotCount, keys);
    slotHash = Arrays.copyOf(slotHash, keys);
  }

  /** The slot {@link #insert} gives next. */
  int nextSlot() {
    return slots;
  }

  /** A new key whose record is rows {@code [row, row + count)}: its slot. */
  int insert(long row, int count, long hash) {
    if (slots == slotRow.length) {
      int n = slots * 2;
      slotRow = Arrays.copyOf(slotRow, n);
      slotCount = Arrays.copyOf(slotCount, n);
      slotHash = Arrays.copyOf(slotHash, n);
    }
    slotRow[slots] = row;
    slotCount[slots] = count;
    slotHash[slots] = hash;
    liveKeys++;
    liveRows += count;
    if (keptKey >= 0) keepKey(slots, row, count);
    return slots++;
  }

  /**
   * A newer record of the key at {@code slot}: rows {@code [row, row + count)}. False when it is
   * the same as the current one (same value hash, same decoded rows): then the key keeps its rows.
   */
  boolean replace(int slot, long row, int count, long hash) {
    if (slotHash[slot] == hash && sameRows(slotRow[slot], row, count, slotCount[slot])) return false;
    touch(slot);
    liveRows += count - slotCount[slot];
    slotRow[slot] = row;
    slotCount[slot] = count;
    slotHash[slot] = hash;
    if (keptKey >= 0) keepKey(slot, row, count);
    return true;
  }

  /** The key at {@code slot} is deleted. */
  void delete(int slot) {
    touch(slot);
    liveKeys--;
    liveRows -= slotCount[slot];
    slotRow[slot] = -1;
    slotCount[slot] = 0;
  }

  /** Tells {@link #touched} that {@code slot} changes now: its rows then, and its kept key. */
  private void touch(int slot) {
    if (keptKey < 0 || keysUnknown) {
      touched.touch(slot, slotRow[slot], slotCount[slot]);
    } else {
      touched.touch(slot, slotRow[slot], slotCount[slot], slotKey[slot], keyNull(slot));
    }
  }

  /** Keeps the key of {@code slot}'s record, rows {@code [row, row + count)}, just added. */
  private void keepKey(int slot, long row, int count) {
    if (keysUnknown) return; // no longer used: the removed rows are read
    if (count != 1) { // which row's key would it be: read the removed rows from now on
      keysUnknown = true;
      return;
    }
    if (slot >= slotKey.length) {
      int n = Math.max(slot + 1, slotKey.length * 2);
      slotKey = Arrays.copyOf(slotKey, n);
      slotKeyNull = Arrays.copyOf(slotKeyNull, (n + 63) >>> 6);
    }
    FieldVector v = vector(row, keptKey);
    boolean isNull = v.isNull(foundRow);
    slotKey[slot] = isNull ? 0 : ColumnValues.getLong(v, foundRow);
    setKeyNull(slot, isNull);
  }

  private boolean keyNull(int slot) {
    return (slotKeyNull[slot >>> 6] & (1L << slot)) != 0;
  }

  private void setKeyNull(int slot, boolean isNull) {
    if (isNull) {
      slotKeyNull[slot >>> 6] |= 1L << slot;
    } else {
      slotKeyNull[slot >>> 6] &= ~(1L << slot);
    }
  }

  /**
   * Starts keeping the key {@code removedColumns} names, when it is one integer column and every
   * record is one row: each slot's current key is read once, here.
   */
  private void startKeepingKey(Set<String> removedColumns) {
    if (text == null || removedColumns == null || removedColumns.size() != 1) return;
    int c = stored.indexOf(removedColumns.iterator().next());
    if (c < 0) return; // not stored: the step's slices refused it already
    ColumnType type = stored.field(c).type();
    if (type != ColumnType.INT64 && type != ColumnType.INT32) return;
    keptKey = c;
    int n = Math.max(16, slotRow.length);
    slotKey = new long[n];
    slotKeyNull = new long[(n + 63) >>> 6];
    // Slots are walked in order, and their rows mostly ascend with them (a restore or a bootstrap
    // gives slots in row order): the batch of the row read last is tried first, without a search
    // (a search per slot was a tenth of a second per million rows, on a restart's path).
    long first = 0; // rows [first, end) are those of vector v
    long end = 0;
    FieldVector v = null;
    for (int s = 0; s < slots && !keysUnknown; s++) {
      long row = slotRow[s];
      if (row < 0) continue;
      if (slotCount[s] != 1) { // which row's key would it be: read the removed rows from now on
        keysUnknown = true;
        return;
      }
      if (row < first || row >= end) {
        locate(row);
        v = foundBatch.getVector(c);
        first = row - foundRow;
        end = foundBatch == open ? row + 1 : first + foundBatch.getRowCount();
      }
      int i = (int) (row - first);
      if (v.isNull(i)) {
        slotKeyNull[s >>> 6] |= 1L << s;
      } else {
        slotKey[s] = ColumnValues.getLong(v, i);
      }
    }
  }

  /** Steps whose removed keys were the kept ones, no earlier row read (for tests). */
  long keptKeySteps() {
    return keptKeySteps;
  }

  /** The touches start again; from now on they carry their slots' kept keys, if kept. */
  private void resetTouches() {
    touched.reset(slots);
    touchesHaveKeys = keptKey >= 0 && !keysUnknown;
  }

  int liveKeys() {
    return liveKeys;
  }

  /** Slots given so far (live or deleted): a reference snapshot walks them in order. */
  int slots() {
    return slots;
  }

  /** The first row of the key at {@code slot}'s record, or -1 when deleted. */
  long slotRow(int slot) {
    return slotRow[slot];
  }

  /** How many rows the record of the key at {@code slot} has. */
  int slotRows(int slot) {
    return slotCount[slot];
  }

  /** The hash of the value of the key at {@code slot}'s record ({@link #hash}). */
  long slotHash(int slot) {
    return slotHash[slot];
  }

  /** The slot arrays of slots {@code [0, slots())} as they are now. */
  record Slots(long[] row, int[] count, long[] hash) {}

  /**
   * Copies of the slot arrays (bulk copies, no per-slot work): a snapshot written on another
   * thread reads these, while this thread keeps changing the live ones.
   */
  Slots copySlots() {
    return new Slots(Arrays.copyOf(slotRow, slots), Arrays.copyOf(slotCount, slots),
        Arrays.copyOf(slotHash, slots));
  }

  private boolean sameRows(long a, long b, int count, int countA) {
    if (count != countA) return false;
    for (int r = 0; r < count; r++) {
      for (int c = 0; c < stored.size(); c++) {
        FieldVector va = vector(a + r, c);
        int ra = foundRow;
        FieldVector vb = vector(b + r, c);
        if (!sameValue(va, ra, vb, foundRow)) return false;
      }
    }
    return true;
  }

  /** Same null-ness and the same bytes (bits, for bools). */
  private static boolean sameValue(FieldVector a, int ra, FieldVector b, int rb) {
    boolean nullA = a.isNull(ra);
    if (nullA != b.isNull(rb)) return false;
    if (nullA) return true;
    if (a instanceof BitVector) return ((BitVector) a).get(ra) == ((BitVector) b).get(rb);
    if (a instanceof BaseVariableWidthVector) {
      BaseVariableWidthVector x = (BaseVariableWidthVector) a;
      BaseVariableWidthVector y = (BaseVariableWidthVector) b;
      long sx = x.getStartOffset(ra);
      long sy = y.getStartOffset(rb);
      return ByteFunctionHelpers.equal(x.getDataBuffer(), sx, sx + x.getValueLength(ra),
          y.getDataBuffer(), sy, sy + y.getValueLength(rb)) == 1;
    }
    BaseFixedWidthVector x = (BaseFixedWidthVector) a;
    BaseFixedWidthVector y = (BaseFixedWidthVector) b;
    long w = x.getTypeWidth();
    return ByteFunctionHelpers.equal(x.getDataBuffer(), ra * w, ra * w + w,
        y.getDataBuffer(), rb * w, rb * w + w) == 1;
  }

  // ----------------------------------------------------------------------------------- snapshot

  /** Maximal runs of consecutive rows over the live slots, in slot order. */
  private long runs() {
    long runs = 0;
    long end = -1;
    for (int s = 0; s < slots; s++) {
      long row = slotRow[s];
      if (row < 0 || slotCount[s] == 0) continue;
      if (row != end) runs++;
      end = row + slotCount[s];
    }
    return runs;
  }

  /**
   * The rows as they are now are those {@link #changes} tells the next changes against, as after
   * a snapshot (a restore's rows, which a table kept at their version holds), without one.
   */
  void markBaseline() {
    resetTouches();
    rowsAtLastStep = rowsAppended();
  }

  /**
   * The live rows in slot order, as batches of {@code columns} (stored columns, by name) owned by
   * the caller: slices sharing the stored buffers, to be read, not written. Valid until the next
   * change to these rows.
   *
   * @param renumbered called with old slot -> new slot when a compaction renumbers the slots
   */
  BatchReader snapshot(Schema columns, java.util.function.Consumer<int[]> renumbered) {
    seal();
    long dead = sealedRows - liveRows;
    long runs = runs();
    boolean fragmented = runs > 16 && runs * 256 > liveRows;
    boolean wasteful = dead > liveRows + 4L * batchSize;
    boolean scattered = scattered();
    if (fragmented || wasteful || scattered) compact(renumbered);
    resetTouches();
    openCapacity = batchSize;
    rowsAtLastStep = rowsAppended();
    return liveRows(columns);
  }

  /**
   * The live rows in slot order, as {@link #snapshot} gives them, but as they are: no compaction
   * and the changes since the last snapshot or changes still to come (a snapshot written to
   * disk must not take them from the table).
   */
  BatchReader liveRows(Schema columns) {
    seal();
    int[] index = storedIndexes(columns);
    return new BatchReader() {
      private int slot;
      private long runStart = -1;
      private long runEnd = -1;

      @Override
      public VectorSchemaRoot next() {
        if (runStart == runEnd && !nextRun()) return null;
        locate(runStart);
        VectorSchemaRoot batch = foundBatch;
        int from = foundRow;
        int n = (int) Math.min(runEnd - runStart, batch.getRowCount() - from);
        runStart += n;
        return slice(batch, from, n, columns, index);
      }

      /** From the current slot, as long as each record follows the previous one. */
      private boolean nextRun() {
        runStart = -1;
        for (; slot < slots; slot++) {
          long row = slotRow[slot];
          if (row < 0 || slotCount[slot] == 0) continue;
          if (runStart < 0) {
            runStart = row;
          } else if (row != runEnd) {
            break;
          }
          runEnd = row + slotCount[slot];
        }
        if (runStart >= 0) return true;
        runEnd = -1;
        return false;
      }

      @Override
      public void close() {}
    };
  }

  // ------------------------------------------------------------------------------------ changes

  /**
   * The rows that differ from those of the last {@link #snapshot} or {@code changes}, as batches
   * of {@code columns} owned by the caller (slices, as a snapshot's): removed, the rows then of
   * every key updated or deleted since; added, the rows now of every key inserted or updated
   * since (a key changed several times counts once; one inserted and deleted since, not at
   * all). The slices are taken before this returns (they hold the stored buffers they share),
   * so the rows can then be compacted, as a snapshot would, when too many are dead or the
   * batches too many: without it, a feed read only through changes would keep every row it was
   * ever sent (and a mostly empty batch per call, as each call seals the open one).
   *
   * <pre>
   *   touched slot s (existed then):  removed += rows then (if any)   added += rows now (if any)
   *   slot inserted since (&gt;= mark): added += rows now (if any)
   *   slices taken ─► compact if wasteful or scattered (renumbered) ─► tracking reset
   * </pre>
   *
   * @param renumbered called with old slot -> new slot when a compaction renumbers the slots
   */
  ReferenceFeed.Changes changes(Schema columns, java.util.function.Consumer<int[]> renumbered) {
    return changes(columns, null, renumbered);
  }

  /**
   * As above, the removed rows with only {@code removedColumns} read (null: all); their other
   * columns are null. A removed row is the row a key had at the last step, anywhere among the
   * rows held: reading its every column costs a cache miss or more per value, the largest part
   * of a step when a caller needs only its key.
   */
  ReferenceFeed.Changes changes(Schema columns, Set<String> removedColumns,
                                java.util.function.Consumer<int[]> renumbered) {
    long stepRows = rowsAppended() - rowsAtLastStep;
    seal();
    coalesceTail();
    boolean keysKept = touchesHaveKeys && !keysUnknown && removedColumns != null
        && removedColumns.size() == 1
        && removedColumns.contains(stored.field(keptKey).name());
    Runs removed = new Runs();
    Runs added = new Runs();
    for (int i = 0; i < touched.size(); i++) {
      if (!keysKept) removed.add(touched.thenRow(i), touched.thenCount(i));
      int s = touched.slot(i);
      added.add(slotRow[s], slotCount[s]);
    }
    for (int s = touched.mark(); s < slots; s++) added.add(slotRow[s], slotCount[s]);
    // the keys' earlier rows lie anywhere among the rows held, in the order the keys changed:
    // read in the order they lie, each batch's vectors and pages are found once for all its
    // rows, not once a row (the removed rows are a set: LiveTable takes them in any order)
    removed.sortByStart();
    int[] index = new int[columns.size()];
    int[] removedIndex = new int[columns.size()]; // -1: left null
    for (int c = 0; c < index.length; c++) {
      String name = columns.field(c).name();
      index[c] = storedIndex(name);
      removedIndex[c] = removedColumns == null || removedColumns.contains(name) ? index[c] : -1;
    }
    List<VectorSchemaRoot> before = new ArrayList<>();
    List<VectorSchemaRoot> now = new ArrayList<>();
    try {
      if (keysKept) {
        VectorSchemaRoot keys = keptKeys(columns);
        if (keys != null) before.add(keys);
        keptKeySteps++;
      } else {
        slices(removed, columns, removedIndex, before);
      }
      slices(added, columns, index, now);
      // as a snapshot's tests, fragmentation aside: changes do not read the whole table in runs
      long dead = sealedRows - liveRows;
      boolean wasteful = dead > liveRows + 4L * batchSize;
      boolean scattered = scattered();
      if (wasteful || scattered) compact(renumbered);
    } catch (RuntimeException | Error e) {
      before.forEach(VectorSchemaRoot::close);
      now.forEach(VectorSchemaRoot::close);
      throw e;
    }
    if (keptKey < 0) startKeepingKey(removedColumns);
    resetTouches();
    openCapacity = (int) Math.max(LEAST_OPEN, Math.min(batchSize, 2 * stepRows));
    rowsAtLastStep = rowsAppended();
    return new ReferenceFeed.Changes(BatchReader.of(before), BatchReader.of(now));
  }

  /**
   * The removed rows of this step from the kept keys: the key column with each touched slot's
   * key then, every other column null; null when no slot had rows then.
   */
  private VectorSchemaRoot keptKeys(Schema columns) {
    int n = 0;
    for (int i = 0; i < touched.size(); i++) {
      if (touched.thenRow(i) >= 0 && touched.thenCount(i) > 0) n++;
    }
    if (n == 0) return null;
    String key = stored.field(keptKey).name();
    List<FieldVector> vectors = new ArrayList<>(columns.size());
    try {
      for (int k = 0; k < columns.size(); k++) {
        FieldVector v = emptyVector(columns.field(k), n);
        vectors.add(v);
        if (!columns.field(k).name().equals(key)) continue;
        BaseIntVector ints = (BaseIntVector) v;
        int row = 0;
        for (int i = 0; i < touched.size(); i++) {
          if (touched.thenRow(i) < 0 || touched.thenCount(i) == 0) continue;
          if (!touched.thenKeyNull(i)) ints.setWithPossibleTruncate(row, touched.thenKey(i));
          row++;
        }
      }
      VectorSchemaRoot out = new VectorSchemaRoot(vectors);
      out.setRowCount(n);
      return out;
    } catch (RuntimeException | Error e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
  }

  /**
   * The stored column {@code name}; a column the caller asks for that is not stored is a bug
   * (in {@link #slice} and {@link #newBatch}, -1 means a removed row's column left null).
   */
  /** The stored column of each of {@code columns}, by name. */
  private int[] storedIndexes(Schema columns) {
    int[] index = new int[columns.size()];
    for (int c = 0; c < index.length; c++) index[c] = storedIndex(columns.field(c).name());
    return index;
  }

  private int storedIndex(String name) {
    int c = stored.indexOf(name);
    if (c < 0) throw new SabotBug("column " + name + " is not among the stored columns " + stored);
    return c;
  }

  /** The rows a batch holds (at most; a batch of sealed rows may hold fewer). */
  int batchSize() {
    return batchSize;
  }

  /** A run of live rows shorter than this is short: batches that short on average are compacted. */
  int shortRun() {
    return Math.max(1, batchSize / 16);
  }

  /**
   * Many more batches than the live rows need: short ones on average (fewer than a quarter of
   * {@link #shortRun()} rows), or over 32 times as many: each holds vectors and buffers, so the
   * rows are compacted. Batches of a restored snapshot are full ones (runs shorter than a
   * batch were written joined), so a restore is not compacted at its first snapshot.
   */
  private boolean scattered() {
    long needed = liveRows / batchSize + 1;
    if (batches.size() <= 16 || batches.size() <= 2 * needed) return false;
    return sealedRows < (long) batches.size() * Math.max(1, shortRun() / 4)
        || batches.size() > 32 * needed;
  }

  /** A run of at least this many rows is sliced; shorter ones are copied. */
  static final int SLICED_RUN = 64;

  /**
   * Adds the rows of {@code runs}, in order, to {@code out}: a long run as slices of the stored
   * batches (shared buffers), short runs copied together into batches of up to
   * {@code batchSize} rows. Slicing every run would make a batch (some vectors, their buffers)
   * per changed key of a table updated at random, millions of them after a catch-up: heap the
   * size of the table many times over.
   */
  private void slices(Runs runs, Schema columns, int[] index, List<VectorSchemaRoot> out) {
    VectorSchemaRoot copies = null;
    int copied = 0;
    try {
      for (int r = 0; r < runs.size; r++) {
        boolean slice = runs.end[r] - runs.start[r] >= SLICED_RUN;
        if (slice && copies != null) { // the copies so far come first: the order is kept
          copies.setRowCount(copied);
          out.add(copies);
          copies = null;
        }
        for (long at = runs.start[r]; at < runs.end[r]; ) {
          locate(at);
          int n = (int) Math.min(runs.end[r] - at, foundBatch.getRowCount() - foundRow);
          if (slice) {
            out.add(slice(foundBatch, foundRow, n, columns, index));
            at += n;
            continue;
          }
          if (copies == null) {
            copies = newBatch(columns, index, remaining(runs, r, at));
            copied = 0;
          }
          for (int k = 0; k < index.length; k++) {
            if (index[k] < 0) continue; // left null: the batch's vectors start all null
            copies.getVector(k).copyFromSafe(foundRow, copied, foundBatch.getVector(index[k]));
          }
          at++;
          if (++copied == batchSize) {
            copies.setRowCount(copied);
            out.add(copies);
            copies = null;
          }
        }
      }
      if (copies != null) {
        copies.setRowCount(copied);
        out.add(copies);
        copies = null;
      }
    } finally {
      if (copies != null) copies.close();
    }
  }

  /**
   * The rows of {@code runs} from row {@code at} of run {@code r} on that are copied together,
   * up to a batch: the size of the next batch of copies. It ends at the next run long enough to
   * be sliced (that run closes the batch). Counting the sliced runs too made a batch of a
   * whole batch size (every column allocated and zeroed) for each short run between long ones:
   * a key changed twice in a step breaks the run of added rows, and that was most of a step's
   * time.
   */
  private int remaining(Runs runs, int r, long at) {
    long n = runs.end[r] - at;
    for (int i = r + 1; i < runs.size && n < batchSize; i++) {
      long length = runs.end[i] - runs.start[i];
      if (length >= SLICED_RUN) break;
      n += length;
    }
    return (int) Math.min(n, batchSize);
  }

  /**
   * An empty batch of stored columns {@code index} ({@code columns} by name; -1: a column of
   * {@code columns} left null), allocated for {@code rows} rows.
   */
  private VectorSchemaRoot newBatch(Schema columns, int[] index, int rows) {
    List<FieldVector> vectors = new ArrayList<>(index.length);
    try {
      for (int k = 0; k < index.length; k++) {
        int c = index[k];
        vectors.add(emptyVector(c < 0 ? columns.field(k) : stored.field(c), rows));
      }
      return new VectorSchemaRoot(vectors);
    } catch (RuntimeException | Error e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
  }


  /** An empty vector of {@code field}, allocated for {@code rows} rows (validity all null). */
  private FieldVector emptyVector(Field field, int rows) {
    FieldVector v = field.toArrow().createVector(allocator);
    try {
      v.setInitialCapacity(Math.max(1, rows));
      v.allocateNew();
      return v;
    } catch (RuntimeException | Error e) {
      v.close();
      throw e;
    }
  }

  /** Row ranges {@code [start, end)}, a record's rows joining the previous range when they follow it. */
  static final class Runs {
    long[] start = new long[16];
    long[] end = new long[16];
    int size;

    void add(long row, int count) {
      if (row < 0 || count == 0) return;
      if (size > 0 && end[size - 1] == row) {
        end[size - 1] = row + count;
        return;
      }
      if (size == start.length) {
        start = Arrays.copyOf(start, size * 2);
        end = Arrays.copyOf(end, size * 2);
      }
      start[size] = row;
      end[size] = row + count;
      size++;
    }

    /**
     * In the order the runs lie, adjacent ones joined. The runs must not overlap (the earlier
     * rows of distinct keys do not): then the i-th smallest start and the i-th smallest end are
     * one run's, so the two arrays are sorted each on its own.
     */
    void sortByStart() {
      Arrays.sort(start, 0, size);
      Arrays.sort(end, 0, size);
      int n = 0;
      for (int i = 0; i < size; i++) {
        if (i > 0 && end[i - 1] > start[i]) {
          throw new SabotBug("removed runs overlap: a key's earlier rows are another key's too, "
              + "before row " + end[i - 1]);
        }
        if (n > 0 && end[n - 1] == start[i]) {
          end[n - 1] = end[i];
        } else {
          start[n] = start[i];
          end[n] = end[i];
          n++;
        }
      }
      size = n;
    }
  }

  /**
   * The rows of {@code batches} (a restored snapshot's: the stored columns first, in order) as
   * batches of {@code columns}, all sliced now: owned by the caller, readable on any thread, and
   * holding the buffers they share, so nothing these rows do next changes them.
   */
  BatchReader slicesOf(List<VectorSchemaRoot> batches, Schema columns) {
    int[] index = storedIndexes(columns);
    List<VectorSchemaRoot> out = new ArrayList<>(batches.size());
    try {
      for (VectorSchemaRoot b : batches) {
        if (b.getRowCount() > 0) out.add(slice(b, 0, b.getRowCount(), columns, index));
      }
    } catch (RuntimeException | Error e) {
      out.forEach(VectorSchemaRoot::close);
      throw e;
    }
    return BatchReader.of(out);
  }

  private VectorSchemaRoot slice(VectorSchemaRoot batch, int from, int n, Schema columns,
                                 int[] index) {
    List<FieldVector> vectors = new ArrayList<>(index.length);
    try {
      for (int k = 0; k < index.length; k++) {
        if (index[k] < 0) { // left null: all null once its count is set
          vectors.add(emptyVector(columns.field(k), n));
          continue;
        }
        TransferPair t = batch.getVector(index[k]).getTransferPair(allocator);
        t.splitAndTransfer(from, n);
        vectors.add((FieldVector) t.getTo());
      }
      VectorSchemaRoot out = new VectorSchemaRoot(vectors);
      out.setRowCount(n);
      return out;
    } catch (RuntimeException | Error e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
  }

  /**
   * Copies the live rows, in slot order, into new full batches and closes the old ones; the
   * slots are renumbered without holes when there are any.
   */
  private void compact(java.util.function.Consumer<int[]> renumbered) {
    List<VectorSchemaRoot> out = new ArrayList<>();
    long[] newStart = new long[Math.max(16, (int) (liveRows / batchSize) + 2)];
    VectorSchemaRoot target = null;
    int targetRows = 0;
    long copied = 0;
    int[] newSlot = new int[slots];
    int kept = 0;
    try {
      for (int s = 0; s < slots; s++) {
        long row = slotRow[s];
        if (row < 0) {
          newSlot[s] = -1;
          continue;
        }
        long first = copied;
        for (int r = 0; r < slotCount[s]; r++) {
          if (target == null) {
            target = stored.newBatch(allocator);
            for (FieldVector v : target.getFieldVectors()) {
              v.setInitialCapacity((int) Math.min(batchSize, liveRows - copied));
              v.allocateNew();
            }
            targetRows = 0;
          }
          locate(row + r);
          for (int c = 0; c < stored.size(); c++) {
            target.getVector(c).copyFromSafe(foundRow, targetRows, foundBatch.getVector(c));
          }
          targetRows++;
          copied++;
          if (targetRows == batchSize) {
            target.setRowCount(targetRows);
            out.add(target);
            target = null;
          }
        }
        newSlot[s] = kept;
        slotRow[kept] = first;
        slotCount[kept] = slotCount[s];
        slotHash[kept] = slotHash[s];
        if (keptKey >= 0 && !keysUnknown) {
          slotKey[kept] = slotKey[s];
          setKeyNull(kept, keyNull(s));
        }
        kept++;
      }
      if (target != null) {
        target.setRowCount(targetRows);
        out.add(target);
        target = null;
      }
    } catch (RuntimeException | Error e) {
      if (target != null) target.close();
      out.forEach(VectorSchemaRoot::close);
      throw e;
    }
    batches.forEach(VectorSchemaRoot::close);
    batches.clear();
    sealedRows = 0;
    if (newStart.length < out.size()) newStart = new long[out.size()];
    batchStart = newStart;
    for (VectorSchemaRoot b : out) addSealed(b);
    boolean holes = kept != slots;
    slots = kept;
    if (holes) renumbered.accept(newSlot);
  }

  @Override
  public void close() {
    if (open != null) open.close();
    open = null;
    batches.forEach(VectorSchemaRoot::close);
    batches.clear();
  }
}
