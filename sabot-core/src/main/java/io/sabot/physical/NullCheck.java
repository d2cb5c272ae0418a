package io.sabot.physical;

import org.apache.arrow.memory.ArrowBuf;

/** {@code is null} / {@code is not null}; a missing reference row (-1) is null. */
final class NullCheck implements RowFilter {
  private final ColumnBinding column;
  private final boolean wantNull;

  NullCheck(ColumnBinding column, boolean wantNull) {
    this.column = column;
    this.wantNull = wantNull;
  }

  @Override
  public int select(Frame f, int[] in, int nIn, int[] out, Scratch s) {
    ArrowBuf validity = f.column(column.origin(), column.index()).getValidityBuffer();
    int[] rows = f.rows(column.origin());
    int k = 0;
    for (int j = 0; j < nIn; j++) {
      int r = rows[in[j]];
      boolean isNull = r < 0 || !Gather.isValid(validity, r);
      if (isNull == wantNull) out[k++] = in[j];
    }
    return k;
  }
}
