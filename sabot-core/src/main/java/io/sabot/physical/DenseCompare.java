package io.sabot.physical;

import io.sabot.expr.CompareOp;
import org.apache.arrow.memory.ArrowBuf;

/**
 * Comparison loops over a whole column with no nulls, straight from its data buffer, writing the
 * selection without branches ({@code out[k] = i; k += test ? 1 : 0}): with a selectivity near 50%
 * a branch would be mispredicted every other row.
 */
final class DenseCompare {
  private DenseCompare() {}

  static int doubles(ArrowBuf data, int n, CompareOp op, double c, int[] out) {
    int k = 0;
    switch (op) {
      case EQ: for (int i = 0; i < n; i++) { out[k] = i; k += data.getDouble((long) i << 3) == c ? 1 : 0; } break;
      case NE: for (int i = 0; i < n; i++) { out[k] = i; k += data.getDouble((long) i << 3) != c ? 1 : 0; } break;
      case GT: for (int i = 0; i < n; i++) { out[k] = i; k += data.getDouble((long) i << 3) > c ? 1 : 0; } break;
      case GE: for (int i = 0; i < n; i++) { out[k] = i; k += data.getDouble((long) i << 3) >= c ? 1 : 0; } break;
      case LT: for (int i = 0; i < n; i++) { out[k] = i; k += data.getDouble((long) i << 3) < c ? 1 : 0; } break;
      case LE: for (int i = 0; i < n; i++) { out[k] = i; k += data.getDouble((long) i << 3) <= c ? 1 : 0; } break;
      default: throw new AssertionError(op);
    }
    return k;
  }

  static int longs(ArrowBuf data, int n, CompareOp op, long c, int[] out) {
    int k = 0;
    switch (op) {
      case EQ: for (int i = 0; i < n; i++) { out[k] = i; k += data.getLong((long) i << 3) == c ? 1 : 0; } break;
      case NE: for (int i = 0; i < n; i++) { out[k] = i; k += data.getLong((long) i << 3) != c ? 1 : 0; } break;
      case GT: for (int i = 0; i < n; i++) { out[k] = i; k += data.getLong((long) i << 3) > c ? 1 : 0; } break;
      case GE: for (int i = 0; i < n; i++) { out[k] = i; k += data.getLong((long) i << 3) >= c ? 1 : 0; } break;
      case LT: for (int i = 0; i < n; i++) { out[k] = i; k += data.getLong((long) i << 3) < c ? 1 : 0; } break;
      case LE: for (int i = 0; i < n; i++) { out[k] = i; k += data.getLong((long) i << 3) <= c ? 1 : 0; } break;
      default: throw new AssertionError(op);
    }
    return k;
  }
}
