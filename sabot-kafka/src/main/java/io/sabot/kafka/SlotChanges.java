package io.sabot.kafka;

import java.util.Arrays;

/**
 * Which slots of {@link ChangelogRows} were touched (updated or deleted) since the last snapshot
 * or changes, and the rows each had then: the earlier half of {@link ChangelogRows#changes}.
 * Slots numbered from {@link #mark()} on are new since then (a slot is only ever appended, and
 * only a compaction, in a snapshot, renumbers): they had no rows then, so nothing is kept for
 * them, and a bootstrap keeps nothing at all.
 *
 * <pre>
 *   slots:   [0 .. mark)  existed then         [mark .. slots)  inserted since
 *   first touch of slot s &lt; mark:  touched[n] = s, thenRow[n], thenCount[n] (its rows then); bit s set
 *   later touches of s: nothing (the bit is set)        reset: clear the bits, n = 0, mark = slots
 * </pre>
 *
 * No allocation per touch beyond the amortized growth of the arrays. Not thread-safe.
 */
final class SlotChanges {
  private static final int INITIAL = 64;

  private int mark;
  private long[] bits = new long[INITIAL];
  private int[] touched = new int[INITIAL];
  private long[] thenRow = new long[INITIAL];
  private int[] thenCount = new int[INITIAL];
  // the key its row had then, when the caller keeps keys (ChangelogRows' kept join key)
  private long[] thenKey = new long[INITIAL];
  private boolean[] thenKeyNull = new boolean[INITIAL];
  private int n;

  /** Slot {@code slot} changes now; before this, its rows were {@code [row, row + count)} (row -1: none). */
  void touch(int slot, long row, int count) {
    touch(slot, row, count, 0, true);
  }

  /** As above, with the key its row had ({@code keyNull}: none, or a null key). */
  void touch(int slot, long row, int count, long key, boolean keyNull) {
    if (slot >= mark) return;
    int w = slot >>> 6;
    long bit = 1L << slot;
    if (w >= bits.length) bits = Arrays.copyOf(bits, Math.max(w + 1, bits.length * 2));
    if ((bits[w] & bit) != 0) return;
    bits[w] |= bit;
    if (n == touched.length) {
      int grown = n * 2;
      touched = Arrays.copyOf(touched, grown);
      thenRow = Arrays.copyOf(thenRow, grown);
      thenCount = Arrays.copyOf(thenCount, grown);
      thenKey = Arrays.copyOf(thenKey, grown);
      thenKeyNull = Arrays.copyOf(thenKeyNull, grown);
    }
    touched[n] = slot;
    thenRow[n] = row;
    thenCount[n] = count;
    thenKey[n] = key;
    thenKeyNull[n] = keyNull;
    n++;
  }

  /** The first slot inserted since the last reset. */
  int mark() {
    return mark;
  }

  /** How many slots below {@link #mark()} were touched. */
  int size() {
    return n;
  }

  /** The {@code i}-th slot touched (in the order of first touch). */
  int slot(int i) {
    return touched[i];
  }

  /** The first row the {@code i}-th slot touched had at the last reset (-1: none). */
  long thenRow(int i) {
    return thenRow[i];
  }

  /** How many rows the {@code i}-th slot touched had at the last reset. */
  int thenCount(int i) {
    return thenCount[i];
  }

  /** The key the {@code i}-th slot touched had at the last reset (when the caller keeps keys). */
  long thenKey(int i) {
    return thenKey[i];
  }

  /** Whether that key was null (or not kept). */
  boolean thenKeyNull(int i) {
    return thenKeyNull[i];
  }

  /** Forgets the touches: {@code slots} slots exist now, their rows are the ones to compare to. */
  void reset(int slots) {
    for (int i = 0; i < n; i++) bits[touched[i] >>> 6] = 0;
    if (touched.length > 1 << 16) { // after a burst, give the memory back
      touched = new int[INITIAL];
      thenRow = new long[INITIAL];
      thenCount = new int[INITIAL];
      thenKey = new long[INITIAL];
      thenKeyNull = new boolean[INITIAL];
    }
    n = 0;
    mark = slots;
  }
}
