package io.sabot.reference;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;

/**
 * The fast path for dense non-negative integral keys (surrogate ids 0..N): the key is the
 * slot, no hashing, no probing sequence.
 *
 * <pre>
 *   rowOf:  | row for key 0 | row for key 1 | ... | row for key max |     -1 = no row
 *   probe:  0 <= key <= max ? rowOf[key] : -1
 * </pre>
 *
 * Chosen by {@link ReferenceTable} only when every key is in [0, max] with max below about twice
 * the row count (and a fixed cap), so it never costs more memory than the hash index.
 */
final class DirectLongKeyIndex implements KeyIndex {
  private static final VarHandle ROWS = MethodHandles.arrayElementVarHandle(int[].class);
  /** Largest key the direct table takes: 2^27 slots = 512 MiB. */
  static final long MAX_KEY = (1L << 27) - 1;

  private final KeyColumn refKey;
  private final int[] rowOf;

  /** Whether keys in [minKey, maxKey] from {@code nonNullRows} rows suit a direct table. */
  static boolean suits(long minKey, long maxKey, long nonNullRows) {
    return minKey >= 0 && maxKey <= MAX_KEY && maxKey < 2 * nonNullRows + 64;
  }

  DirectLongKeyIndex(KeyColumn refKey, long maxKey) {
    this.refKey = refKey;
    this.rowOf = new int[(int) (maxKey + 1)];
    Arrays.fill(rowOf, -1);
  }

  @Override
  public int put(int row, boolean replace) {
    int key = (int) refKey.longAt(row);
    int held = rowOf[key];
    if (held < 0 || replace) rowOf[key] = row;
    return held;
  }

  @Override
  public int holderOf(int row) {
    long key = refKey.longAt(row);
    return key >= 0 && key < rowOf.length ? rowOf[(int) key] : NOT_HELD;
  }

  @Override
  public void repoint(int row) {
    ROWS.setRelease(rowOf, (int) refKey.longAt(row), row);
  }

  @Override
  public void probe(FieldVector[] probeKeys, int[] rows, int n, int[] outMatch) {
    FieldVector v = probeKeys[0];
    ArrowBuf validity = v.getValidityBuffer();
    ArrowBuf data = v.getDataBuffer();
    int[] table = rowOf;
    if (v.getNullCount() == 0 && KeyColumn.kindOf(v) == KeyColumn.INT64) {
      // The usual stream key: no nulls, so no validity bit to read per row.
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        long key = r >= 0 ? data.getLong((long) r << 3) : -1;
        outMatch[i] = key >= 0 && key < table.length ? table[(int) key] : -1;
      }
    } else if (KeyColumn.kindOf(v) == KeyColumn.INT32) {
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        int match = -1;
        if (r >= 0 && (validity.getByte(r >>> 3) & (1 << (r & 7))) != 0) {
          int key = data.getInt((long) r << 2);
          if (key >= 0 && key < table.length) match = table[key];
        }
        outMatch[i] = match;
      }
    } else {
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        int match = -1;
        if (r >= 0 && (validity.getByte(r >>> 3) & (1 << (r & 7))) != 0) {
          long key = data.getLong((long) r << 3);
          if (key >= 0 && key < table.length) match = table[(int) key];
        }
        outMatch[i] = match;
      }
    }
  }

  @Override
  public long sizeInBytes() {
    return 4L * rowOf.length;
  }

  @Override
  public String kind() {
    return "direct";
  }
}
