package io.sabot.rocksdb;

import io.sabot.error.SabotBug;
import io.sabot.types.ColumnType;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * The payload of one reference row (its columns but the keys, which the key holds) as bytes:
 *
 * <pre>
 *   null bits: ceil(columns / 8) bytes (bit c set: column c is null), then each non-null value:
 *   int32 4 bytes | int64, timestamp 8 | float64 8 (IEEE bits) | bool 1 | string varint length + UTF-8
 * </pre>
 *
 * Only the columns the reference pipeline keeps reach it (projection pushdown has already dropped
 * the others), so a store holds just what the join can output or filter on.
 */
final class RowCodec {
  private final ColumnType[] types;
  private final int nullBytes;

  /** @param types the payload columns' types, in table order */
  RowCodec(ColumnType[] types) {
    this.types = types.clone();
    this.nullBytes = (types.length + 7) / 8;
  }

  /** Appends the payload of {@code row} of {@code columns} (the payload vectors) to {@code out}. */
  void encode(FieldVector[] columns, int row, Bytes out) {
    int bits = out.pos;
    out.ensure(nullBytes);
    for (int i = 0; i < nullBytes; i++) out.buf[out.pos++] = 0;
    for (int c = 0; c < types.length; c++) {
      FieldVector v = columns[c];
      if (v.isNull(row)) {
        out.buf[bits + (c >>> 3)] |= (byte) (1 << (c & 7));
        continue;
      }
      switch (types[c]) {
        case INT32: out.putInt(((IntVector) v).get(row)); break;
        case INT64: out.putLong(((BigIntVector) v).get(row)); break;
        case TIMESTAMP: out.putLong(((TimeStampMilliVector) v).get(row)); break;
        case FLOAT64: out.putLong(Double.doubleToRawLongBits(((Float8Vector) v).get(row))); break;
        case BOOL: out.put((byte) ((BitVector) v).get(row)); break;
        case STRING: {
          VarCharVector s = (VarCharVector) v;
          long from = s.getStartOffset(row);
          int len = (int) (s.getEndOffset(row) - from);
          out.putVarint(len);
          out.put(s.getDataBuffer(), from, len);
          break;
        }
        default: throw new SabotBug("reference column of type " + types[c]);
      }
    }
  }

  /**
   * Writes the payload at {@code at[0]} of {@code src} into row {@code row} of {@code out} (the
   * payload vectors) and moves {@code at[0]} past it.
   */
  void decode(byte[] src, int[] at, FieldVector[] out, int row) {
    int bits = at[0];
    int p = bits + nullBytes;
    for (int c = 0; c < types.length; c++) {
      if ((src[bits + (c >>> 3)] & (1 << (c & 7))) != 0) {
        out[c].setNull(row);
        continue;
      }
      switch (types[c]) {
        case INT32: ((IntVector) out[c]).setSafe(row, Bytes.getInt(src, p)); p += 4; break;
        case INT64: ((BigIntVector) out[c]).setSafe(row, Bytes.getLong(src, p)); p += 8; break;
        case TIMESTAMP: ((TimeStampMilliVector) out[c]).setSafe(row, Bytes.getLong(src, p)); p += 8; break;
        case FLOAT64:
          ((Float8Vector) out[c]).setSafe(row, Double.longBitsToDouble(Bytes.getLong(src, p)));
          p += 8;
          break;
        case BOOL: ((BitVector) out[c]).setSafe(row, src[p++]); break;
        case STRING: {
          at[0] = p;
          int len = (int) Bytes.getVarint(src, at);
          p = at[0];
          ((VarCharVector) out[c]).setSafe(row, src, p, len);
          p += len;
          break;
        }
        default: throw new SabotBug("reference column of type " + types[c]);
      }
    }
    at[0] = p;
  }
}
