package io.sabot.rocksdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The keys of one batch, encoded back to back into one reused array, then sorted and grouped:
 * RocksDB's multi-get wants each distinct key once, and sorted keys read neighbouring blocks
 * together. Reused from batch to batch by one thread; allocates only the distinct keys' arrays
 * that the RocksDB Java API takes.
 *
 * <pre>
 *   arena   | key of row 0 | key of row 3 | key of row 4 | ...   (rows with a null part: none)
 *   row[j], start[j], end[j]    j-th encoded key
 *   order   j sorted by (key bytes, j): equal keys adjacent, in row order
 *   runs    [runStart[g], runStart[g+1]) of order: the rows of distinct key g
 * </pre>
 */
final class KeyRuns {
  final Bytes arena = new Bytes(1 << 16);
  int[] row = new int[1024];
  int[] start = new int[1024];
  int[] end = new int[1024];
  int[] order = new int[1024];
  int[] runStart = new int[1025];
  int count;
  int runs;

  void clear() {
    arena.pos = 0;
    count = 0;
    runs = 0;
  }

  /** Encodes {@code r}'s key with {@code codec}; false for a key with a null part. */
  boolean add(KeyCodec codec, int r) {
    int from = arena.pos;
    if (!codec.encode(r, arena)) return false;
    if (count == row.length) grow();
    row[count] = r;
    start[count] = from;
    end[count] = arena.pos;
    count++;
    return true;
  }

  /** Sorts and groups the keys added; returns each distinct key as its own array, in order. */
  List<byte[]> group() {
    for (int j = 0; j < count; j++) order[j] = j;
    sort(0, count - 1);
    List<byte[]> keys = new ArrayList<>();
    runs = 0;
    for (int i = 0; i < count; i++) {
      if (i == 0 || compare(order[i - 1], order[i]) != 0) {
        runStart[runs++] = i;
        int j = order[i];
        keys.add(Arrays.copyOfRange(arena.buf, start[j], end[j]));
      }
    }
    runStart[runs] = count;
    return keys;
  }

  /** Bytes compare unsigned; equal keys by position, so a run keeps its rows in order. */
  private int compare(int a, int b) {
    return Arrays.compareUnsigned(arena.buf, start[a], end[a], arena.buf, start[b], end[b]);
  }

  private int compareWithTies(int a, int b) {
    int c = compare(a, b);
    return c != 0 ? c : Integer.compare(a, b);
  }

  private void sort(int lo, int hi) {
    while (hi - lo > 16) {
      int mid = (lo + hi) >>> 1;
      int pivot = order[mid];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (compareWithTies(order[i], pivot) < 0) i++;
        while (compareWithTies(order[j], pivot) > 0) j--;
        if (i <= j) {
          int t = order[i];
          order[i++] = order[j];
          order[j--] = t;
        }
      }
      if (j - lo < hi - i) {
        sort(lo, j);
        lo = i;
      } else {
        sort(i, hi);
        hi = j;
      }
    }
    for (int i = lo + 1; i <= hi; i++) {
      int v = order[i];
      int k = i - 1;
      while (k >= lo && compareWithTies(order[k], v) > 0) {
        order[k + 1] = order[k];
        k--;
      }
      order[k + 1] = v;
    }
  }

  private void grow() {
    int n = row.length * 2;
    row = Arrays.copyOf(row, n);
    start = Arrays.copyOf(start, n);
    end = Arrays.copyOf(end, n);
    order = Arrays.copyOf(order, n);
    runStart = Arrays.copyOf(runStart, n + 1);
  }
}
