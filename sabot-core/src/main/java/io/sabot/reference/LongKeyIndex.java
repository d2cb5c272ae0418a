package io.sabot.reference;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;

/**
 * Open-addressing index from one integral key (widened to long) to a reference row, for keys
 * that are too sparse for {@link DirectLongKeyIndex}. Linear probing over one interleaved
 * {@code long[]} so that a hit reads a single cache line (Agrona's {@code Long2LongHashMap}):
 *
 * <pre>
 *   entries:  | key 0 | row 0 | key 1 | row 1 | ... | key cap-1 | row cap-1 |
 *   slot   = mixLong(key) >>> (64 - log2(cap)), then slot+1, slot+2, ... (mod cap)
 *   empty  = row -1 (the key word is then meaningless)
 * </pre>
 *
 * Emptiness lives in the row word, not in a reserved key value, so every long, including -1,
 * 0, {@code Long.MIN_VALUE} and {@code Long.MAX_VALUE}, is an ordinary key. Capacity is a power of
 * two sized once from the row count, load factor at most 0.65; the index never grows.
 */
final class LongKeyIndex implements KeyIndex {
  private static final VarHandle ENTRIES = MethodHandles.arrayElementVarHandle(long[].class);
  static final double MAX_LOAD = 0.65;
  /** Two longs a slot: 2^29 slots is the largest long[] index space. */
  static final int MAX_CAPACITY = 1 << 29;

  private final KeyColumn refKey;
  private final long[] entries;
  private final int mask;
  private final int shift;

  LongKeyIndex(KeyColumn refKey, long expectedKeys) {
    this.refKey = refKey;
    int capacity = Hashing.capacityFor(expectedKeys, MAX_LOAD, MAX_CAPACITY);
    this.entries = new long[2 * capacity];
    Arrays.fill(entries, -1L);
    this.mask = capacity - 1;
    this.shift = 64 - Integer.numberOfTrailingZeros(capacity);
  }

  @Override
  public int put(int row, boolean replace) {
    long key = refKey.longAt(row);
    int s = (int) (Hashing.mixLong(key) >>> shift);
    long[] e = entries;
    while (true) {
      int at = s << 1;
      int held = (int) e[at + 1];
      if (held < 0) {
        e[at] = key;
        e[at + 1] = row;
        return -1;
      }
      if (e[at] == key) {
        if (replace) e[at + 1] = row;
        return held;
      }
      s = (s + 1) & mask;
    }
  }

  @Override
  public int holderOf(int row) {
    int at = slotOf(refKey.longAt(row));
    return at < 0 ? NOT_HELD : (int) entries[at + 1];
  }

  @Override
  public void repoint(int row) {
    ENTRIES.setRelease(entries, slotOf(refKey.longAt(row)) + 1, (long) row);
  }

  /** The entry index ({@code 2 * slot}) holding {@code key}, or -1. */
  private int slotOf(long key) {
    int s = (int) (Hashing.mixLong(key) >>> shift);
    long[] e = entries;
    while (true) {
      int at = s << 1;
      if ((int) e[at + 1] < 0) return -1;
      if (e[at] == key) return at;
      s = (s + 1) & mask;
    }
  }

  /** The row for {@code key}, or -1. */
  int find(long key) {
    int s = (int) (Hashing.mixLong(key) >>> shift);
    long[] e = entries;
    while (true) {
      int at = s << 1;
      int held = (int) e[at + 1];
      if (held < 0) return -1;
      if (e[at] == key) return held;
      s = (s + 1) & mask;
    }
  }

  @Override
  public void probe(FieldVector[] probeKeys, int[] rows, int n, int[] outMatch) {
    FieldVector v = probeKeys[0];
    ArrowBuf validity = v.getValidityBuffer();
    ArrowBuf data = v.getDataBuffer();
    if (KeyColumn.kindOf(v) == KeyColumn.INT32) {
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        int match = -1;
        if (r >= 0 && (validity.getByte(r >>> 3) & (1 << (r & 7))) != 0) {
          match = find(data.getInt((long) r << 2));
        }
        outMatch[i] = match;
      }
    } else {
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        int match = -1;
        if (r >= 0 && (validity.getByte(r >>> 3) & (1 << (r & 7))) != 0) {
          match = find(data.getLong((long) r << 3));
        }
        outMatch[i] = match;
      }
    }
  }

  @Override
  public long sizeInBytes() {
    return 8L * entries.length;
  }

  @Override
  public String kind() {
    return "hash-long";
  }
}
