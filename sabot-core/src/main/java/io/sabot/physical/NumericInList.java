package io.sabot.physical;

import io.sabot.types.ColumnType;
import java.util.Arrays;

/** {@code column in [..]} / {@code not in} for numeric columns: a binary search in sorted values. */
final class NumericInList implements RowFilter {
  private final ColumnBinding column;
  private final boolean negated;
  private final long[] longs;     // sorted; used when asDouble is false
  private final double[] doubles; // sorted; used when asDouble is true
  private final boolean asDouble;

  NumericInList(ColumnBinding column, boolean negated, long[] longs, double[] doubles) {
    this.column = column;
    this.negated = negated;
    this.asDouble = doubles != null;
    this.longs = longs == null ? null : sorted(longs);
    this.doubles = doubles == null ? null : sortedD(doubles);
  }

  private static long[] sorted(long[] a) {
    long[] c = a.clone();
    Arrays.sort(c);
    return c;
  }

  /**
   * Sorted, with -0.0 read as 0.0 and NaN left out, so that {@code in} agrees with {@code ==}
   * (binarySearch tells the two zeros apart and finds NaN; {@code ==} does neither).
   */
  private static double[] sortedD(double[] a) {
    double[] c = Arrays.stream(a).filter(d -> !Double.isNaN(d)).map(d -> d + 0.0).toArray();
    Arrays.sort(c);
    return c;
  }

  @Override
  public int select(Frame f, int[] in, int nIn, int[] out, Scratch s) {
    int[] pos = s.positions(nIn);
    int k = 0;
    ColumnType type = column.type();
    if (asDouble) {
      double[] v = s.doubles(nIn);
      int m = Gather.doubles(f.column(column.origin(), column.index()), type,
          f.rows(column.origin()), in, nIn, v, pos);
      for (int j = 0; j < m; j++) {
        if ((Arrays.binarySearch(doubles, v[j] + 0.0) >= 0) != negated) out[k++] = pos[j];
      }
    } else {
      long[] v = s.longs(nIn);
      int m = type == ColumnType.BOOL
          ? Gather.bits(f.column(column.origin(), column.index()), f.rows(column.origin()), in, nIn, v, pos)
          : Gather.longs(f.column(column.origin(), column.index()), type, f.rows(column.origin()),
              in, nIn, v, pos);
      for (int j = 0; j < m; j++) {
        if ((Arrays.binarySearch(longs, v[j]) >= 0) != negated) out[k++] = pos[j];
      }
    }
    return k;
  }
}
