package io.sabot.physical;

import io.sabot.types.ColumnType;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;

/**
 * Reads the non-null values of a column at some frame positions into primitive scratch arrays,
 * straight from the Arrow buffers. Returns how many values were non-null; {@code outPos[j]} is
 * the frame position of {@code out[j]}. One loop per physical width, so the comparison loops
 * that follow see plain arrays with no nulls.
 */
final class Gather {
  private Gather() {}

  static boolean isValid(ArrowBuf validity, int row) {
    return ((validity.getByte(row >>> 3) >> (row & 7)) & 1) != 0;
  }

  static int longs(FieldVector v, ColumnType type, int[] rows, int[] in, int nIn, long[] out,
                   int[] outPos) {
    ArrowBuf validity = v.getValidityBuffer();
    ArrowBuf data = v.getDataBuffer();
    int m = 0;
    if (type == ColumnType.INT32) {
      for (int j = 0; j < nIn; j++) {
        int p = in[j];
        int r = rows[p];
        if (r >= 0 && isValid(validity, r)) {
          out[m] = data.getInt((long) r << 2);
          outPos[m++] = p;
        }
      }
    } else {
      for (int j = 0; j < nIn; j++) {
        int p = in[j];
        int r = rows[p];
        if (r >= 0 && isValid(validity, r)) {
          out[m] = data.getLong((long) r << 3);
          outPos[m++] = p;
        }
      }
    }
    return m;
  }

  static int doubles(FieldVector v, ColumnType type, int[] rows, int[] in, int nIn, double[] out,
                     int[] outPos) {
    ArrowBuf validity = v.getValidityBuffer();
    ArrowBuf data = v.getDataBuffer();
    int m = 0;
    for (int j = 0; j < nIn; j++) {
      int p = in[j];
      int r = rows[p];
      if (r >= 0 && isValid(validity, r)) {
        switch (type) {
          case FLOAT64: out[m] = data.getDouble((long) r << 3); break;
          case INT32: out[m] = data.getInt((long) r << 2); break;
          default: out[m] = data.getLong((long) r << 3); break;
        }
        outPos[m++] = p;
      }
    }
    return m;
  }

  /** 0 or 1 per non-null boolean value. */
  static int bits(FieldVector v, int[] rows, int[] in, int nIn, long[] out, int[] outPos) {
    ArrowBuf validity = v.getValidityBuffer();
    ArrowBuf data = v.getDataBuffer();
    int m = 0;
    for (int j = 0; j < nIn; j++) {
      int p = in[j];
      int r = rows[p];
      if (r >= 0 && isValid(validity, r)) {
        out[m] = isValid(data, r) ? 1 : 0;
        outPos[m++] = p;
      }
    }
    return m;
  }
}
