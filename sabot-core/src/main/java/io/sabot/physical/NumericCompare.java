package io.sabot.physical;

import io.sabot.expr.CompareOp;
import io.sabot.types.ColumnType;
import org.apache.arrow.vector.FieldVector;

/**
 * {@code column op literal} for integral (int32, int64, timestamp, bool as 0/1) columns against
 * a long, or any numeric column against a double. The operator is switched on once per batch, so
 * each loop body is a single compare.
 */
final class NumericCompare implements RowFilter {
  private final int origin;
  private final int index;
  private final ColumnType type;
  private final CompareOp op;
  private final boolean asDouble;
  private final long longValue;
  private final double doubleValue;

  private NumericCompare(ColumnBinding column, CompareOp op, boolean asDouble, long l, double d) {
    this.origin = column.origin();
    this.index = column.index();
    this.type = column.type();
    this.op = op;
    this.asDouble = asDouble;
    this.longValue = l;
    this.doubleValue = d;
  }

  static NumericCompare ofLong(ColumnBinding column, CompareOp op, long value) {
    return new NumericCompare(column, op, false, value, 0);
  }

  static NumericCompare ofDouble(ColumnBinding column, CompareOp op, double value) {
    return new NumericCompare(column, op, true, 0, value);
  }

  @Override
  public int select(Frame f, int[] in, int nIn, int[] out, Scratch s) {
    FieldVector vector = f.column(origin, index);
    if (s.isIdentity(in) && f.isIdentity(origin) && vector.getNullCount() == 0) {
      // The common first filter: every row of the batch, no nulls. Read the buffer in order.
      if (asDouble && type == ColumnType.FLOAT64) return DenseCompare.doubles(vector.getDataBuffer(), nIn, op, doubleValue, out);
      if (!asDouble && (type == ColumnType.INT64 || type == ColumnType.TIMESTAMP)) {
        return DenseCompare.longs(vector.getDataBuffer(), nIn, op, longValue, out);
      }
    }
    int[] pos = s.positions(nIn);
    if (asDouble) {
      double[] v = s.doubles(nIn);
      int m = Gather.doubles(f.column(origin, index), type, f.rows(origin), in, nIn, v, pos);
      return compareDoubles(v, pos, m, out);
    }
    long[] v = s.longs(nIn);
    int m = type == ColumnType.BOOL
        ? Gather.bits(f.column(origin, index), f.rows(origin), in, nIn, v, pos)
        : Gather.longs(f.column(origin, index), type, f.rows(origin), in, nIn, v, pos);
    return compareLongs(v, pos, m, out);
  }

  private int compareLongs(long[] v, int[] pos, int m, int[] out) {
    long c = longValue;
    int k = 0;
    switch (op) {
      case EQ: for (int j = 0; j < m; j++) { out[k] = pos[j]; k += v[j] == c ? 1 : 0; } break;
      case NE: for (int j = 0; j < m; j++) { out[k] = pos[j]; k += v[j] != c ? 1 : 0; } break;
      case GT: for (int j = 0; j < m; j++) { out[k] = pos[j]; k += v[j] > c ? 1 : 0; } break;
      case GE: for (int j = 0; j < m; j++) { out[k] = pos[j]; k += v[j] >= c ? 1 : 0; } break;
      case LT: for (int j = 0; j < m; j++) { out[k] = pos[j]; k += v[j] < c ? 1 : 0; } break;
      case LE: for (int j = 0; j < m; j++) { out[k] = pos[j]; k += v[j] <= c ? 1 : 0; } break;
      default: throw new AssertionError(op);
    }
    return k;
  }

  private int compareDoubles(double[] v, int[] pos, int m, int[] out) {
    double c = doubleValue;
    int k = 0;
    switch (op) {
      case EQ: for (int j = 0; j < m; j++) { out[k] = pos[j]; k += v[j] == c ? 1 : 0; } break;
      case NE: for (int j = 0; j < m; j++) { out[k] = pos[j]; k += v[j] != c ? 1 : 0; } break;
      case GT: for (int j = 0; j < m; j++) { out[k] = pos[j]; k += v[j] > c ? 1 : 0; } break;
      case GE: for (int j = 0; j < m; j++) { out[k] = pos[j]; k += v[j] >= c ? 1 : 0; } break;
      case LT: for (int j = 0; j < m; j++) { out[k] = pos[j]; k += v[j] < c ? 1 : 0; } break;
      case LE: for (int j = 0; j < m; j++) { out[k] = pos[j]; k += v[j] <= c ? 1 : 0; } break;
      default: throw new AssertionError(op);
    }
    return k;
  }
}
