package io.sabot.reference;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.apache.arrow.vector.FieldVector;

/**
 * Open-addressing index for string keys and composite keys (several columns of mixed types).
 * A row's hash combines its key columns (integral values widened to long, strings hashed over
 * their UTF-8 bytes in the Arrow data buffer); the table stores only reference row numbers and a
 * 32-bit tag of the hash, packed in one long, and compares the key values themselves in the
 * reference columns when the tag matches:
 *
 * <pre>
 *   slots:  | tag 0 : row 0 | tag 1 : row 1 | ... |      one long each: (tag << 32) | row
 *   slot  = h >>> (64 - log2(cap)), linear probing;   tag = (int) h;   empty = row -1
 *
 *   slots[s] --row--> reference columns  k0 (int64) | k1 (string) | ...  compared with the
 *                                        probe row's k0 | k1 | ...     value by value
 * </pre>
 *
 * Capacity is a power of two sized once from the row count, load factor at most 0.65.
 */
final class MultiColumnKeyIndex implements KeyIndex {
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);
  static final double MAX_LOAD = 0.65;
  static final int MAX_CAPACITY = 1 << 30;

  private final KeyColumn[] refKeys;
  private final long[] slots;
  private final int mask;
  private final int shift;
  /** -1 (every bit); fewer bits only in tests, to force collisions. */
  private final long hashMask;
  /** Probe threads re-bind their own columns to each batch: no allocation per call. */
  private final ThreadLocal<KeyColumn[]> probeColumns;

  MultiColumnKeyIndex(KeyColumn[] refKeys, long expectedKeys, long hashMask) {
    this.hashMask = hashMask;
    this.refKeys = refKeys.clone();
    int capacity = Hashing.capacityFor(expectedKeys, MAX_LOAD, MAX_CAPACITY);
    this.slots = new long[capacity];
    Arrays.fill(slots, -1L);
    this.mask = capacity - 1;
    this.shift = 64 - Integer.numberOfTrailingZeros(capacity);
    int width = refKeys.length;
    this.probeColumns = ThreadLocal.withInitial(() -> {
      KeyColumn[] c = new KeyColumn[width];
      for (int k = 0; k < width; k++) c[k] = new KeyColumn();
      return c;
    });
  }

  static long rowHash(KeyColumn[] columns, int row) {
    long h = Hashing.rowSeed();
    for (KeyColumn c : columns) h = Hashing.combine(h, c.hash(row));
    return Hashing.fmix64(h);
  }

  static boolean sameKey(KeyColumn[] a, int rowA, KeyColumn[] b, int rowB) {
    for (int k = 0; k < a.length; k++) {
      if (!a[k].sameKey(rowA, b[k], rowB)) return false;
    }
    return true;
  }

  static boolean anyNull(KeyColumn[] columns, int row) {
    for (KeyColumn c : columns) {
      if (c.isNull(row)) return true;
    }
    return false;
  }

  @Override
  public int put(int row, boolean replace) {
    long h = rowHash(refKeys, row) & hashMask;
    int s = slotFor(row, h);
    int held = (int) slots[s];
    if (held == -1 || replace) slots[s] = h << 32 | row; // the tag (h's low half) above the row
    return held;
  }

  @Override
  public int holderOf(int row) {
    int s = slotOf(row);
    return s < 0 ? NOT_HELD : (int) slots[s];
  }

  @Override
  public void repoint(int row) {
    int s = slotOf(row);
    SLOTS.setRelease(slots, s, (slots[s] & 0xFFFF_FFFF_0000_0000L) | (row & 0xFFFF_FFFFL));
  }

  /** The slot holding the key of indexed row {@code row}, or -1. */
  private int slotOf(int row) {
    int s = slotFor(row, rowHash(refKeys, row) & hashMask);
    return (int) slots[s] == -1 ? -1 : s;
  }

  /**
   * The slot holding the key of indexed row {@code row} (of hash {@code h}), or the empty slot
   * it would take.
   */
  private int slotFor(int row, long h) {
    int tag = (int) h;
    int s = (int) (h >>> shift);
    while (true) {
      long e = slots[s];
      int held = (int) e;
      if (held == -1) return s;
      if ((int) (e >>> 32) == tag && sameKey(refKeys, held, refKeys, row)) return s;
      s = (s + 1) & mask;
    }
  }

  private int find(KeyColumn[] probe, int probeRow) {
    long h = rowHash(probe, probeRow) & hashMask;
    int tag = (int) h;
    int s = (int) (h >>> shift);
    while (true) {
      // acquire: a live table may have just repointed the slot to a row it added; that row's
      // key columns, compared next, were written before (a plain load on x86)
      long e = (long) SLOTS.getAcquire(slots, s);
      int held = (int) e;
      if (held == -1) return -1;
      if ((int) (e >>> 32) == tag && sameKey(probe, probeRow, refKeys, held)) return held;
      s = (s + 1) & mask;
    }
  }

  @Override
  public void probe(FieldVector[] probeKeys, int[] rows, int n, int[] outMatch) {
    KeyColumn[] probe = probeColumns.get();
    for (int k = 0; k < probe.length; k++) probe[k].bind(probeKeys[k]);
    try {
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        outMatch[i] = r < 0 || anyNull(probe, r) ? -1 : find(probe, r);
      }
    } finally {
      for (KeyColumn c : probe) c.unbind();
    }
  }

  @Override
  public long sizeInBytes() {
    return 8L * slots.length;
  }

  @Override
  public String kind() {
    return "hash-multi";
  }
}
