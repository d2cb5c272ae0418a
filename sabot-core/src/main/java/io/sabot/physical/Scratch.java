package io.sabot.physical;

/**
 * Per-worker reusable buffers, so kernels allocate nothing per batch once warmed up. Slot
 * buffers belong to one node of a condition tree (numbered at bind time) so nested AND/OR never
 * share a buffer that is still in use.
 */
public final class Scratch {
  /** Slot ids reserved for the join's row expansion; condition slots count up from 0. */
  static final int EXPAND_SOURCE = 1_000;
  static final int EXPAND_REF = 1_001;
  private long[] longs = new long[1024];
  private double[] doubles = new double[1024];
  private int[] positions = new int[1024];
  private int[] matches = new int[1024];
  private int[][] slots = new int[0][];
  private int[] identity = new int[0];
  private int[] selection = new int[1024];

  private byte[] originFlags = new byte[0];

  /** One flag per frame origin, all 0: for the output builder, per batch. */
  byte[] originFlags(int origins) {
    if (originFlags.length < origins) originFlags = new byte[origins];
    java.util.Arrays.fill(originFlags, 0, origins, (byte) 0);
    return originFlags;
  }

  long[] longs(int n) {
    if (longs.length < n) longs = new long[grow(n)];
    return longs;
  }

  double[] doubles(int n) {
    if (doubles.length < n) doubles = new double[grow(n)];
    return doubles;
  }

  /** Positions of the non-null values gathered by a leaf kernel. */
  int[] positions(int n) {
    if (positions.length < n) positions = new int[grow(n)];
    return positions;
  }

  /** Reference rows found by a probe. */
  int[] matches(int n) {
    if (matches.length < n) matches = new int[grow(n)];
    return matches;
  }

  /** 0, 1, 2, .. n-1 (and beyond): every row of a frame as a selection. Never written to. */
  int[] identity(int n) {
    if (identity.length < n) {
      identity = new int[grow(n)];
      for (int i = 0; i < identity.length; i++) identity[i] = i;
    }
    return identity;
  }

  /** Whether {@code in} is the identity selection handed out by {@link #identity}. */
  boolean isIdentity(int[] in) {
    return in == identity;
  }

  /** The output selection of a filter step. */
  int[] selection(int n) {
    if (selection.length < n) selection = new int[grow(n)];
    return selection;
  }

  int[] slot(int id, int n) {
    if (slots.length <= id) slots = java.util.Arrays.copyOf(slots, id + 1);
    if (slots[id] == null || slots[id].length < n) slots[id] = new int[grow(n)];
    return slots[id];
  }

  private static int grow(int n) {
    return Math.max(1024, Integer.highestOneBit(n - 1) << 1);
  }
}
