package io.sabot.physical;

/** AND: each part narrows the candidates the next part sees. */
final class AllOf implements RowFilter {
  private final RowFilter[] parts;
  private final int slot;

  AllOf(RowFilter[] parts, int slot) {
    this.parts = parts;
    this.slot = slot;
  }

  @Override
  public int select(Frame f, int[] in, int nIn, int[] out, Scratch s) {
    int[] tmp = s.slot(slot, nIn);
    System.arraycopy(in, 0, tmp, 0, nIn);
    int n = nIn;
    for (RowFilter part : parts) {
      if (n == 0) break;
      n = part.select(f, tmp, n, tmp, s);
    }
    System.arraycopy(tmp, 0, out, 0, n);
    return n;
  }
}
