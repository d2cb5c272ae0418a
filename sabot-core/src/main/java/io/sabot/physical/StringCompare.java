package io.sabot.physical;

import io.sabot.expr.CompareOp;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.ByteFunctionHelpers;
import org.apache.arrow.vector.FieldVector;

/**
 * {@code column op 'text'} and {@code column in ['a', 'b']} on string columns, comparing UTF-8
 * bytes in place (unsigned byte order, which is code point order). No String is built per row.
 */
final class StringCompare implements RowFilter {
  private final ColumnBinding column;
  private final CompareOp op;
  private final byte[][] values; // one for comparisons, several for in / not in

  StringCompare(ColumnBinding column, CompareOp op, byte[][] values) {
    this.column = column;
    this.op = op;
    this.values = values;
  }

  @Override
  public int select(Frame f, int[] in, int nIn, int[] out, Scratch s) {
    FieldVector v = f.column(column.origin(), column.index());
    int[] rows = f.rows(column.origin());
    ArrowBuf validity = v.getValidityBuffer();
    ArrowBuf offsets = v.getOffsetBuffer();
    ArrowBuf data = v.getDataBuffer();
    int k = 0;
    for (int j = 0; j < nIn; j++) {
      int p = in[j];
      int r = rows[p];
      if (r < 0 || !Gather.isValid(validity, r)) continue;
      int start = offsets.getInt((long) r << 2);
      int end = offsets.getInt(((long) r + 1) << 2);
      if (test(data, start, end)) out[k++] = p;
    }
    return k;
  }

  private boolean test(ArrowBuf data, int start, int end) {
    switch (op) {
      case IN: return containedIn(data, start, end);
      case NOT_IN: return !containedIn(data, start, end);
      case EQ: return equal(data, start, end, values[0]);
      case NE: return !equal(data, start, end, values[0]);
      default:
        int c = ByteFunctionHelpers.compare(data, start, end, values[0], 0, values[0].length);
        switch (op) {
          case GT: return c > 0;
          case GE: return c >= 0;
          case LT: return c < 0;
          case LE: return c <= 0;
          default: throw new AssertionError(op);
        }
    }
  }

  private boolean containedIn(ArrowBuf data, int start, int end) {
    for (byte[] value : values) {
      if (equal(data, start, end, value)) return true;
    }
    return false;
  }

  private static boolean equal(ArrowBuf data, int start, int end, byte[] value) {
    return end - start == value.length
        && ByteFunctionHelpers.compare(data, start, end, value, 0, value.length) == 0;
  }
}
