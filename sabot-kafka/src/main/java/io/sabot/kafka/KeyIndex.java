package io.sabot.kafka;

import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;

/**
 * The keys of a changelog and the slot of each (an int >= 0), without an object per key: open
 * addressing, linear probing, deletion by shifting back (no tombstones). A key is its bytes (the
 * record key, or a column's value as record-key text); keys that are the canonical decimal text of
 * a long ({@code 0}, {@code -12}, {@code 4711}: what {@link Long#toString} writes) are kept as
 * that long, so an integer key column is looked up by its value, never turned into text.
 *
 * <pre>
 *   "4711"  ──canonical──► 4711L ─► longs    (primitive: long[] keys, int[] slots)
 *   "007", "abc", "-0"  ─────────► bytes    (byte[][] keys, int[] hashes, int[] slots)
 * </pre>
 *
 * The two never hold the same key: whether bytes are canonical depends on the bytes alone.
 */
final class KeyIndex {
  /**
   * long key -> slot: an array indexed by key - base while the keys are dense (at most four
   * array entries per key: ids, sequence numbers), else a hash table.
   */
  private static final class Longs {
    // dense: slot of key base + i at direct[i] (-1: none); null once hashed (or before any key)
    int[] direct;
    long base;
    boolean hashed;
    long[] keys;
    int[] slots;
    int size;

    static long mix(long k) {
      k *= 0x9E3779B97F4A7C15L;
      return k ^ (k >>> 29);
    }

    int get(long key) {
      if (!hashed) {
        if (direct == null || key < base) return -1;
        long off = key - base; // negative on overflow
        return off >= 0 && off < direct.length ? direct[(int) off] : -1;
      }
      int mask = keys.length - 1;
      for (int i = (int) mix(key) & mask; slots[i] >= 0; i = (i + 1) & mask) {
        if (keys[i] == key) return slots[i];
      }
      return -1;
    }

    /** Sets the slot of {@code key} if it has none; returns the slot it had, or -1. */
    int putIfAbsent(long key, int slot) {
      if (!hashed) {
        if (direct != null && key >= base) {
          long off = key - base;
          if (off >= 0 && off < direct.length) {
            int had = direct[(int) off];
            if (had < 0) {
              direct[(int) off] = slot;
              size++;
            }
            return had;
          }
        }
        if (widen(key)) return putIfAbsent(key, slot);
        toHashed();
      }
      if ((size + 1) * 2 > keys.length) grow();
      int mask = keys.length - 1;
      int i = (int) mix(key) & mask;
      for (; slots[i] >= 0; i = (i + 1) & mask) {
        if (keys[i] == key) return slots[i];
      }
      keys[i] = key;
      slots[i] = slot;
      size++;
      return -1;
    }

    /** Makes the dense array cover {@code key}; false when it would be too sparse. */
    private boolean widen(long key) {
      if (direct == null) {
        direct = filled(16);
        base = key;
        return base <= Long.MAX_VALUE - direct.length;
      }
      long lo = Math.min(base, key);
      long hi = Math.max(base + direct.length, key + 1);
      if (key == Long.MAX_VALUE || hi - lo <= 0 || hi - lo > 4L * (size + 16)) return false;
      long wanted = Math.max(hi - lo, 2L * direct.length);
      if (wanted > Integer.MAX_VALUE - 16) return false;
      int n = (int) wanted;
      // room on the side that grew, so keys coming in descending order are cheap too
      long room = n - (hi - lo);
      long newBase = key >= base ? lo : lo >= Long.MIN_VALUE + room ? lo - room : Long.MIN_VALUE;
      if (newBase > Long.MAX_VALUE - n) return false;
      int[] d = filled(n);
      System.arraycopy(direct, 0, d, (int) (base - newBase), direct.length);
      direct = d;
      base = newBase;
      return true;
    }

    /**
     * Sized at once for {@code count} keys in {@code [min, max]} (an empty index only): the dense
     * array when they are dense enough, else a hash table that will not grow.
     */
    void reserve(long min, long max, int count) {
      if (size > 0 || count <= 0 || max < min) return;
      long span = max - min + 1; // <= 0 on overflow
      if (span > 0 && span <= 4L * (count + 16) && span <= Integer.MAX_VALUE - 16) {
        direct = filled((int) span);
        base = min;
        hashed = false;
        return;
      }
      hashed = true;
      direct = null;
      int n = 16;
      while (n < (count + 1L) * 2) n <<= 1;
      keys = new long[n];
      slots = filled(n);
    }

    private void toHashed() {
      int[] old = direct;
      long oldBase = base;
      hashed = true;
      direct = null;
      int n = 16;
      while (n < (size + 1) * 2) n <<= 1;
      keys = new long[n];
      slots = filled(n);
      size = 0;
      if (old == null) return;
      for (int i = 0; i < old.length; i++) {
        if (old[i] >= 0) putIfAbsent(oldBase + i, old[i]);
      }
    }

    int remove(long key) {
      if (!hashed) {
        if (direct == null || key < base) return -1;
        long off = key - base;
        if (off < 0 || off >= direct.length || direct[(int) off] < 0) return -1;
        int slot = direct[(int) off];
        direct[(int) off] = -1;
        size--;
        return slot;
      }
      int mask = keys.length - 1;
      int i = (int) mix(key) & mask;
      for (; slots[i] >= 0; i = (i + 1) & mask) {
        if (keys[i] == key) break;
      }
      int slot = slots[i];
      if (slot < 0) return -1;
      // shift back the entries that probed past i
      int hole = i;
      for (int j = (i + 1) & mask; slots[j] >= 0; j = (j + 1) & mask) {
        int home = (int) mix(keys[j]) & mask;
        if (((j - home) & mask) >= ((j - hole) & mask)) {
          keys[hole] = keys[j];
          slots[hole] = slots[j];
          hole = j;
        }
      }
      slots[hole] = -1;
      size--;
      return slot;
    }

    void renumber(int[] newSlot) {
      int[] a = hashed ? slots : direct;
      if (a == null) return;
      for (int i = 0; i < a.length; i++) {
        if (a[i] >= 0) a[i] = newSlot[a[i]];
      }
    }

    void removeSlots(IntPredicate drop, IntConsumer removed) {
      if (!hashed) {
        if (direct == null) return;
        for (int i = 0; i < direct.length; i++) {
          if (direct[i] >= 0 && drop.test(direct[i])) {
            removed.accept(direct[i]);
            direct[i] = -1;
            size--;
          }
        }
        return;
      }
      long[] oldKeys = keys;
      int[] oldSlots = slots;
      keys = new long[oldKeys.length];
      slots = filled(keys.length);
      size = 0;
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldSlots[i] < 0) continue;
        if (drop.test(oldSlots[i])) {
          removed.accept(oldSlots[i]);
        } else {
          putIfAbsent(oldKeys[i], oldSlots[i]);
        }
      }
    }

    private void grow() {
      long[] oldKeys = keys;
      int[] oldSlots = slots;
      keys = new long[oldKeys.length * 2];
      slots = filled(keys.length);
      size = 0;
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldSlots[i] >= 0) putIfAbsent(oldKeys[i], oldSlots[i]);
      }
    }
  }

  /** byte[] key -> slot. */
  private static final class Bytes {
    byte[][] keys = new byte[16][];
    int[] hashes = new int[16];
    int[] slots = filled(16);
    int size;

    static int hash(byte[] k) {
      int h = Arrays.hashCode(k);
      h *= 0x9E3779B9;
      return h ^ (h >>> 16);
    }

    int get(byte[] key, int hash) {
      int mask = keys.length - 1;
      for (int i = hash & mask; slots[i] >= 0; i = (i + 1) & mask) {
        if (hashes[i] == hash && Arrays.equals(keys[i], key)) return slots[i];
      }
      return -1;
    }

    int putIfAbsent(byte[] key, int hash, int slot) {
      if ((size + 1) * 2 > keys.length) grow();
      int mask = keys.length - 1;
      int i = hash & mask;
      for (; slots[i] >= 0; i = (i + 1) & mask) {
        if (hashes[i] == hash && Arrays.equals(keys[i], key)) return slots[i];
      }
      keys[i] = key;
      hashes[i] = hash;
      slots[i] = slot;
      size++;
      return -1;
    }

    void renumber(int[] newSlot) {
      for (int i = 0; i < slots.length; i++) {
        if (slots[i] >= 0) slots[i] = newSlot[slots[i]];
      }
    }

    int remove(byte[] key, int hash) {
      int mask = keys.length - 1;
      int i = hash & mask;
      for (; slots[i] >= 0; i = (i + 1) & mask) {
        if (hashes[i] == hash && Arrays.equals(keys[i], key)) break;
      }
      int slot = slots[i];
      if (slot < 0) return -1;
      int hole = i;
      for (int j = (i + 1) & mask; slots[j] >= 0; j = (j + 1) & mask) {
        int home = hashes[j] & mask;
        if (((j - home) & mask) >= ((j - hole) & mask)) {
          keys[hole] = keys[j];
          hashes[hole] = hashes[j];
          slots[hole] = slots[j];
          hole = j;
        }
      }
      keys[hole] = null;
      slots[hole] = -1;
      size--;
      return slot;
    }

    void removeSlots(IntPredicate drop, IntConsumer removed) {
      byte[][] oldKeys = keys;
      int[] oldHashes = hashes;
      int[] oldSlots = slots;
      keys = new byte[oldKeys.length][];
      hashes = new int[keys.length];
      slots = filled(keys.length);
      size = 0;
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldSlots[i] < 0) continue;
        if (drop.test(oldSlots[i])) {
          removed.accept(oldSlots[i]);
        } else {
          putIfAbsent(oldKeys[i], oldHashes[i], oldSlots[i]);
        }
      }
    }

    private void grow() {
      byte[][] oldKeys = keys;
      int[] oldHashes = hashes;
      int[] oldSlots = slots;
      keys = new byte[oldKeys.length * 2][];
      hashes = new int[keys.length];
      slots = filled(keys.length);
      size = 0;
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldSlots[i] >= 0) putIfAbsent(oldKeys[i], oldHashes[i], oldSlots[i]);
      }
    }
  }

  private final Longs longs = new Longs();
  private final Bytes bytes = new Bytes();
  // the value of the last key isCanonical accepted
  private long parsed;

  private static int[] filled(int n) {
    int[] a = new int[n];
    Arrays.fill(a, -1);
    return a;
  }

  int size() {
    return longs.size + bytes.size;
  }

  /** The slot of {@code key}, or -1. */
  int get(byte[] key) {
    return isCanonical(key) ? longs.get(parsed) : bytes.get(key, Bytes.hash(key));
  }

  /**
   * Gives {@code key} (kept, not copied) the slot {@code slot} if it has none; returns the slot
   * it had, or -1.
   */
  int putIfAbsent(byte[] key, int slot) {
    return isCanonical(key) ? longs.putIfAbsent(parsed, slot)
        : bytes.putIfAbsent(key, Bytes.hash(key), slot);
  }

  /** Removes {@code key}; its slot, or -1 when absent. */
  int remove(byte[] key) {
    return isCanonical(key) ? longs.remove(parsed) : bytes.remove(key, Bytes.hash(key));
  }

  /** The slot of the key whose text is {@code Long.toString(key)}, or -1. */
  int get(long key) {
    return longs.get(key);
  }

  /** As {@link #putIfAbsent(byte[], int)} for the key whose text is {@code Long.toString(key)}. */
  int putIfAbsent(long key, int slot) {
    return longs.putIfAbsent(key, slot);
  }

  /**
   * Room for {@code count} long keys in {@code [min, max]}, when empty (a snapshot being loaded
   * knows them): no step-by-step growth, and dense keys stay dense whatever their order.
   */
  void reserveLongs(long min, long max, int count) {
    longs.reserve(min, max, count);
  }

  /**
   * Removes every key whose slot {@code drop} accepts, telling {@code removed} each such slot
   * (a co-partitioned feed drops the keys of a partition its stream gave up). Rebuilds the
   * tables: for a rebalance, not for each record.
   */
  void removeSlots(IntPredicate drop, IntConsumer removed) {
    longs.removeSlots(drop, removed);
    bytes.removeSlots(drop, removed);
  }

  /**
   * The key of every slot: into {@code longKeys[slot]} for a key kept as a long (the text of
   * which is its {@link Long#toString}), into {@code byteKeys[slot]} for one kept as bytes (left
   * null for the others): a reference snapshot keeps them.
   */
  void keysBySlot(long[] longKeys, byte[][] byteKeys) {
    if (longs.hashed) {
      for (int i = 0; i < longs.keys.length; i++) {
        if (longs.slots[i] >= 0) longKeys[longs.slots[i]] = longs.keys[i];
      }
    } else if (longs.direct != null) {
      for (int i = 0; i < longs.direct.length; i++) {
        if (longs.direct[i] >= 0) longKeys[longs.direct[i]] = longs.base + i;
      }
    }
    for (int i = 0; i < bytes.keys.length; i++) {
      if (bytes.slots[i] >= 0) byteKeys[bytes.slots[i]] = bytes.keys[i];
    }
  }

  /** Gives every key the slot {@code newSlot[slot]} instead of {@code slot}. */
  void renumber(int[] newSlot) {
    longs.renumber(newSlot);
    bytes.renumber(newSlot);
  }

  /**
   * True when {@code k} is exactly the {@link Long#toString} of a long, then left in
   * {@link #parsed}: "0", no "-0", no leading zeros, no sign but a leading '-', in range.
   */
  boolean isCanonical(byte[] k) {
    int n = k.length;
    if (n == 0 || n > 20) return false;
    boolean negative = k[0] == '-';
    int i = negative ? 1 : 0;
    if (i == n) return false;
    if (k[i] == '0') {
      parsed = 0;
      return n == 1;
    }
    // accumulate negatively, as Long.parseLong does, so Long.MIN_VALUE fits
    long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
    long v = 0;
    for (; i < n; i++) {
      int d = k[i] - '0';
      if (d < 0 || d > 9) return false;
      if (v < limit / 10) return false;
      v *= 10;
      if (v < limit + d) return false;
      v -= d;
    }
    parsed = negative ? v : -v;
    return true;
  }
}
