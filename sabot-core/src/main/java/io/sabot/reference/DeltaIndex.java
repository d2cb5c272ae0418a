package io.sabot.reference;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.apache.arrow.vector.FieldVector;

/**
 * The keys a {@link LiveTable} added since its base was built that its base index cannot take
 * (a hash index never grows; keys the base index holds are repointed in it instead): key to the
 * newest row added for it after the base rows, each such row linked to the key's previous one.
 * One thread adds rows; any number of threads probe at once, each as of the table version it
 * holds (the rows before that version's end), without a lock.
 *
 * <pre>
 *   slots:  | tag : newest row of key A | empty | tag : newest row of key B | ...   (release/acquire)
 *   (one integral key: | key A | newest row | empty | key B | newest row | ..., one cache line a probe)
 *   prev:   row 1_000_412 (key A, v9) ─► row 1_000_007 (key A, v3) ─► -1
 *   probe as of end = 1_000_100:  A ─► 1_000_412 (too new) ─► 1_000_007   B ─► ... ─► -1: the base's
 * </pre>
 *
 * A slot is written with release semantics after the row it names (its key columns, its link
 * and visibility) is complete, and read with acquire semantics, so a prober that meets a row
 * added after its version reads a whole row, only to step over it. Capacity is fixed at
 * creation for the most rows the table has room for, so the slots never move. A single integral
 * key is kept in the slot's own word beside it ({@code longKeys}, written before the slot), so a
 * probe compares numbers without reading the table's columns.
 */
final class DeltaIndex {
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final double MAX_LOAD = 0.5;

  private final KeyColumn[] keys;
  /**
   * One integral key: each slot's key and newest row side by side, {@code [key, row]}, so a probe
   * reads one cache line (null for string and composite keys, which use {@code slots}).
   */
  private final long[] longKeys;
  /**
   * One integral key: a bit per key hash set when the key is first added (8 bits a row of room),
   * so the many probes of keys never changed skip the slots after one look at a small array
   * that stays in cache. A bit is written before the slot's release store, and a version is
   * handed to probers after its rows are added, so a prober never misses a key its version has.
   */
  private final long[] changed;
  private final int changedMask;
  private final int firstRow;
  private final long[] slots;
  /** prev[row - firstRow]: the key's row before this one, or -1 (shared with the table). */
  private final int[] prev;
  /** The first row added here (none yet: MAX_VALUE): versions that end before it skip the probe. */
  private int firstAdded = Integer.MAX_VALUE;
  private final int mask;
  private final int shift;
  private final ThreadLocal<KeyColumn[]> probeColumns;

  /**
   * @param keys     the key columns of the table's storage (rows from {@code firstRow} on are added here)
   * @param firstRow the first row after the base rows
   * @param prev     the table's links from an added row to its key's row before, one per row of
   *                 room (the most rows that can be added)
   */
  DeltaIndex(KeyColumn[] keys, int firstRow, int[] prev) {
    this.keys = keys;
    this.firstRow = firstRow;
    int room = prev.length;
    int capacity = Hashing.capacityFor(Math.max(1, room), MAX_LOAD, 1 << 30);
    boolean integral = keys.length == 1 && KeyColumn.isIntegral(keys[0].kind());
    this.slots = new long[integral ? 0 : capacity];
    Arrays.fill(slots, -1L);
    this.longKeys = integral ? new long[2 * capacity] : null;
    if (integral) {
      for (int s = 0; s < capacity; s++) longKeys[2 * s + 1] = -1L;
    }
    int bits = Integer.highestOneBit(Math.max(64, Math.max(1, room) * 8 - 1)) << 1;
    this.changed = integral ? new long[bits >>> 6] : null;
    this.changedMask = bits - 1;
    this.prev = prev;
    this.mask = capacity - 1;
    this.shift = 64 - Integer.numberOfTrailingZeros(capacity);
    int width = keys.length;
    this.probeColumns = ThreadLocal.withInitial(() -> {
      KeyColumn[] c = new KeyColumn[width];
      for (int k = 0; k < width; k++) c[k] = new KeyColumn();
      return c;
    });
  }

  /**
   * Links storage row {@code row} (complete, key not null) as its key's newest row, and returns
   * the key's newest row before it, or -1. The writer only; rows are added in increasing order.
   */
  int add(int row) {
    firstAdded = Math.min(firstAdded, row);
    if (longKeys != null) return addLong(keys[0].longAt(row), row);
    long h = MultiColumnKeyIndex.rowHash(keys, row);
    int tag = (int) h;
    for (int s = (int) (h >>> shift); ; s = (s + 1) & mask) {
      long e = slots[s];
      int held = (int) e;
      if (held == -1 || ((int) (e >>> 32) == tag && MultiColumnKeyIndex.sameKey(keys, held, keys, row))) {
        return link(s, ((long) tag << 32) | row, held, row);
      }
    }
  }

  private int addLong(long key, int row) {
    long[] e = longKeys;
    long h = Hashing.mixLong(key);
    int bit = (int) h & changedMask;
    changed[bit >>> 6] |= 1L << bit;
    for (int s = (int) (h >>> shift); ; s = (s + 1) & mask) {
      int held = (int) e[2 * s + 1];
      if (held == -1) e[2 * s] = key; // before the slot names a row: probers read it after
      if (held == -1 || e[2 * s] == key) {
        prev[row - firstRow] = held;
        SLOTS.setRelease(e, 2 * s + 1, (long) row);
        return held;
      }
    }
  }

  private int link(int s, long entry, int held, int row) {
    prev[row - firstRow] = held;
    SLOTS.setRelease(slots, s, entry);
    return held;
  }

  /** Whether a version that ends at {@code end} sees a row of this index. */
  boolean holdsRowsBefore(int end) {
    return firstAdded < end;
  }

  /**
   * For probe rows {@code rows[0..n)} ({@code -1}: none) not found yet ({@code found[i] < 0})
   * whose keys the delta holds as of {@code end} (rows before it): {@code found[i]} becomes that
   * row; the others are left as they are. Probe rows with a null key are skipped. Safe while the
   * writer adds rows.
   */
  void probe(FieldVector[] probeKeys, int[] rows, int n, int end, int[] found) {
    KeyColumn[] probe = probeColumns.get();
    for (int k = 0; k < probe.length; k++) probe[k].bind(probeKeys[k]);
    try {
      if (longKeys != null && KeyColumn.isIntegral(probe[0].kind())) {
        KeyColumn key = probe[0];
        long[] bits = changed;
        int bitMask = changedMask;
        for (int i = 0; i < n; i++) {
          int r = rows[i];
          if (r < 0 || found[i] >= 0 || key.isNull(r)) continue;
          long k = key.longAt(r);
          long h = Hashing.mixLong(k);
          int bit = (int) h & bitMask;
          if ((bits[bit >>> 6] & (1L << bit)) == 0) continue; // never changed
          int row = findLong(k, h, end);
          if (row >= 0) found[i] = row;
        }
        return;
      }
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        if (r < 0 || found[i] >= 0 || MultiColumnKeyIndex.anyNull(probe, r)) continue;
        int row = find(probe, r, end);
        if (row >= 0) found[i] = row;
      }
    } finally {
      for (KeyColumn c : probe) c.unbind();
    }
  }

  private int findLong(long key, long hash, int end) {
    long[] e = longKeys;
    for (int s = (int) (hash >>> shift); ; s = (s + 1) & mask) {
      int held = (int) (long) SLOTS.getAcquire(e, 2 * s + 1);
      if (held == -1) return -1;
      if (e[2 * s] == key) return before(held, end);
    }
  }

  /** The newest row before {@code end} of the probe row's key, or -1. */
  private int find(KeyColumn[] probe, int probeRow, int end) {
    long h = MultiColumnKeyIndex.rowHash(probe, probeRow);
    int tag = (int) h;
    for (int s = (int) (h >>> shift); ; s = (s + 1) & mask) {
      long e = (long) SLOTS.getAcquire(slots, s);
      int held = (int) e;
      if (held == -1) return -1;
      if ((int) (e >>> 32) == tag && MultiColumnKeyIndex.sameKey(probe, probeRow, keys, held)) return before(held, end);
    }
  }

  /** From a key's newest row back along its links to the first one before {@code end}, or -1. */
  private int before(int row, int end) {
    while (row >= end) row = prev[row - firstRow];
    return row;
  }

  long sizeInBytes() {
    return 8L * slots.length + (longKeys == null ? 0 : 8L * longKeys.length)
        + (changed == null ? 0 : 8L * changed.length);
  }
}
