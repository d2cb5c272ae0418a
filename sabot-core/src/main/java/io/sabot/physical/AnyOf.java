package io.sabot.physical;

/**
 * OR: each part is evaluated only on the candidates no earlier part accepted; the accepted
 * positions are merged back into ascending order.
 */
final class AnyOf implements RowFilter {
  private final RowFilter[] parts;
  private final int slot;

  AnyOf(RowFilter[] parts, int slot) {
    this.parts = parts;
    this.slot = slot;
  }

  @Override
  public int select(Frame f, int[] in, int nIn, int[] out, Scratch s) {
    int[] remaining = s.slot(slot, nIn);      // candidates not yet accepted
    int[] accepted = s.slot(slot + 1, nIn);   // accepted so far, ascending
    int[] found = s.slot(slot + 2, nIn);      // accepted by the current part
    int[] merged = s.slot(slot + 3, nIn);
    System.arraycopy(in, 0, remaining, 0, nIn);
    int nRemaining = nIn;
    int nAccepted = 0;
    for (RowFilter part : parts) {
      if (nRemaining == 0) break;
      int nFound = part.select(f, remaining, nRemaining, found, s);
      if (nFound == 0) continue;
      nAccepted = merge(accepted, nAccepted, found, nFound, merged);
      int[] swap = accepted;
      accepted = merged;
      merged = swap;
      nRemaining = subtract(remaining, nRemaining, found, nFound);
    }
    System.arraycopy(accepted, 0, out, 0, nAccepted);
    return nAccepted;
  }

  private static int merge(int[] a, int na, int[] b, int nb, int[] out) {
    int i = 0, j = 0, k = 0;
    while (i < na && j < nb) out[k++] = a[i] < b[j] ? a[i++] : b[j++];
    while (i < na) out[k++] = a[i++];
    while (j < nb) out[k++] = b[j++];
    return k;
  }

  /** Removes {@code b} (a sorted subset of a) from {@code a} in place. */
  private static int subtract(int[] a, int na, int[] b, int nb) {
    int j = 0, k = 0;
    for (int i = 0; i < na; i++) {
      if (j < nb && a[i] == b[j]) {
        j++;
      } else {
        a[k++] = a[i];
      }
    }
    return k;
  }
}
