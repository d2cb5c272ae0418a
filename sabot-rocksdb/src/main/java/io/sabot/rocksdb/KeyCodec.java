package io.sabot.rocksdb;

import io.sabot.error.SabotBug;
import io.sabot.types.ColumnType;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * A join key as RocksDB bytes, equal exactly when the memory table's keys are equal: integral
 * parts widened to int64 (so an int32 stream key finds an int64 reference key), strings by their
 * UTF-8 bytes; a key with a null part has no encoding (it never matches).
 *
 * <pre>
 *   int32 / int64 / timestamp   8 bytes, big-endian, sign bit flipped (byte order = number order)
 *   string, not the last part   varint length, then the bytes     (so "ab"+"c" != "a"+"bc")
 *   string, the last part       the bytes
 * </pre>
 *
 * The parts' types are the reference table's, fixed per store, so the bytes decode back into
 * its key columns. Bound to one batch's vectors at a time; one instance per thread.
 */
final class KeyCodec {
  private static final long SIGN = Long.MIN_VALUE;
  private static final int INT32 = 0;
  private static final int INT64 = 1;
  private static final int STRING = 2;

  private final ColumnType[] types;
  private final int[] kinds;
  private final ArrowBuf[] validity;
  private final ArrowBuf[] data;
  private final ArrowBuf[] offsets;

  /** @param types the reference table's key column types, in key order */
  KeyCodec(ColumnType[] types) {
    this.types = types.clone();
    int n = types.length;
    kinds = new int[n];
    validity = new ArrowBuf[n];
    data = new ArrowBuf[n];
    offsets = new ArrowBuf[n];
  }

  /** Reads keys from {@code vectors} (one per key part: the reference batch's or a probe's). */
  void bind(FieldVector[] vectors) {
    for (int k = 0; k < vectors.length; k++) {
      FieldVector v = vectors[k];
      if (v instanceof IntVector) kinds[k] = INT32;
      else if (v instanceof BigIntVector || v instanceof TimeStampVector) kinds[k] = INT64;
      else if (v instanceof VarCharVector) kinds[k] = STRING;
      else throw new SabotBug("key vector " + v.getName() + " is a " + v.getClass().getSimpleName());
      validity[k] = v.getValidityBuffer();
      data[k] = v.getDataBuffer();
      offsets[k] = kinds[k] == STRING ? v.getOffsetBuffer() : null;
    }
  }

  /** Drops the batch's buffers (a reused codec must not keep a batch reachable). */
  void unbind() {
    java.util.Arrays.fill(validity, null);
    java.util.Arrays.fill(data, null);
    java.util.Arrays.fill(offsets, null);
  }

  /**
   * Appends the key of {@code row} to {@code out}; false (and {@code out} as it was) when a part
   * is null.
   */
  boolean encode(int row, Bytes out) {
    int start = out.pos;
    int last = kinds.length - 1;
    for (int k = 0; k <= last; k++) {
      if ((validity[k].getByte(row >>> 3) & (1 << (row & 7))) == 0) {
        out.pos = start;
        return false;
      }
      switch (kinds[k]) {
        case INT32:
          out.putLongBigEndian(data[k].getInt((long) row << 2) ^ SIGN);
          break;
        case INT64:
          out.putLongBigEndian(data[k].getLong((long) row << 3) ^ SIGN);
          break;
        default: {
          int from = offsets[k].getInt((long) row << 2);
          int len = offsets[k].getInt(((long) row + 1) << 2) - from;
          if (k < last) out.putVarint(len);
          out.put(data[k], from, len);
        }
      }
    }
    return true;
  }

  /** Writes the key {@code key[from, to)} into row {@code row} of the key columns {@code out}. */
  void decode(byte[] key, int from, int to, FieldVector[] out, int row) {
    int[] at = {from};
    int last = types.length - 1;
    for (int k = 0; k <= last; k++) {
      ColumnType t = types[k];
      if (t == ColumnType.STRING) {
        int len = k < last ? (int) Bytes.getVarint(key, at) : to - at[0];
        ((VarCharVector) out[k]).setSafe(row, key, at[0], len);
        at[0] += len;
        continue;
      }
      long v = Bytes.getLongBigEndian(key, at[0]) ^ SIGN;
      at[0] += 8;
      switch (t) {
        case INT32: ((IntVector) out[k]).setSafe(row, (int) v); break;
        case INT64: ((BigIntVector) out[k]).setSafe(row, v); break;
        case TIMESTAMP: ((TimeStampMilliVector) out[k]).setSafe(row, v); break;
        default: throw new SabotBug("key column of type " + t);
      }
    }
  }
}
