package io.sabot.reference;

import io.sabot.error.SabotBug;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.ByteFunctionHelpers;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * One key column's Arrow buffers, read by row index without a virtual call per value: the
 * vector's type is resolved once, in {@link #bind}, to a {@link #kind} that the per-row methods
 * switch on. Integral values are widened to long, so an int32 column and an int64 column hold
 * equal keys when the numbers are equal.
 *
 * <pre>
 *   INT32   validity bits | data: int32 LE at row*4
 *   INT64   validity bits | data: int64 LE at row*8   (int64, timestamp ms, date ms)
 *   STRING  validity bits | offsets: int32 at row*4   | data: UTF-8 bytes [off[row], off[row+1])
 * </pre>
 *
 * <p>Mutable so that probe threads can re-bind a reused instance to each batch.
 */
final class KeyColumn {
  static final int INT32 = 0;
  static final int INT64 = 1;
  static final int STRING = 2;

  private int kind;
  private ArrowBuf validity;
  private ArrowBuf data;
  private ArrowBuf offsets;

  /** A column bound to {@code vector}. */
  static KeyColumn of(FieldVector vector) {
    KeyColumn c = new KeyColumn();
    c.bind(vector);
    return c;
  }

  /** The kind of a key vector; throws for a vector that cannot hold a key. */
  static int kindOf(FieldVector v) {
    if (v instanceof IntVector) return INT32;
    if (v instanceof BigIntVector || v instanceof TimeStampVector || v instanceof DateMilliVector) return INT64;
    if (v instanceof VarCharVector) return STRING;
    throw new SabotBug("a key column must be int32, int64, timestamp or string, but vector "
        + v.getName() + " is a " + v.getClass().getSimpleName());
  }

  static boolean isIntegral(int kind) {
    return kind != STRING;
  }

  void bind(FieldVector v) {
    kind = kindOf(v);
    validity = v.getValidityBuffer();
    data = v.getDataBuffer();
    offsets = kind == STRING ? v.getOffsetBuffer() : null;
  }

  /** Drops the buffer references (a reused probe column must not keep a batch reachable). */
  void unbind() {
    validity = null;
    data = null;
    offsets = null;
  }

  int kind() {
    return kind;
  }

  ArrowBuf data() {
    return data;
  }

  ArrowBuf validity() {
    return validity;
  }

  boolean isNull(int row) {
    return (validity.getByte(row >>> 3) & (1 << (row & 7))) == 0;
  }

  /** An integral value, widened. */
  long longAt(int row) {
    return kind == INT32 ? data.getInt((long) row << 2) : data.getLong((long) row << 3);
  }

  /** This value's part of a row hash: the widened value itself, or the hash of the bytes. */
  long hash(int row) {
    if (kind != STRING) return longAt(row);
    int start = offsets.getInt((long) row << 2);
    int end = offsets.getInt(((long) row + 1) << 2);
    return Hashing.hashBytes(data, start, end - start);
  }

  /** Whether this column's value at {@code row} equals {@code other}'s at {@code otherRow}. */
  boolean sameKey(int row, KeyColumn other, int otherRow) {
    if (kind != STRING) return longAt(row) == other.longAt(otherRow);
    int start = offsets.getInt((long) row << 2);
    int end = offsets.getInt(((long) row + 1) << 2);
    int oStart = other.offsets.getInt((long) otherRow << 2);
    int oEnd = other.offsets.getInt(((long) otherRow + 1) << 2);
    if (end - start != oEnd - oStart) return false;
    return end == start || ByteFunctionHelpers.equal(data, start, end, other.data, oStart, oEnd) == 1;
  }
}
