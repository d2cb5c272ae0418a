package io.sabot.reference;

import org.apache.arrow.memory.ArrowBuf;

/**
 * The hash functions of the key indexes: a one-multiply slot mixer for single integral keys,
 * murmur3's fmix64 finalizer, and a murmur3-style 64-bit hash over UTF-8 bytes read straight
 * from an Arrow buffer (eight bytes at a time, no copies, no String objects).
 *
 * <p>A hash only has to be the same for equal keys on the build and the probe side; it is never
 * persisted, so it may change between versions.
 */
final class Hashing {
  static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;
  private static final long SEED = 0x2545F4914F6CDD1DL;

  private Hashing() {}

  /**
   * Spreads a long key over the high bits, for slot = mixLong(key) >>> shift. Folding the high
   * half in first keeps keys that differ only in their top bits (k << 48) apart.
   */
  static long mixLong(long key) {
    return (key ^ (key >>> 32)) * GOLDEN;
  }

  /** murmur3 fmix64: every input bit affects every output bit. */
  static long fmix64(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** Adds one column's value (a widened long or a byte hash) to a row hash; finish with fmix64. */
  static long combine(long rowHash, long columnHash) {
    return Long.rotateLeft((rowHash ^ columnHash) * GOLDEN, 29);
  }

  static long rowSeed() {
    return SEED;
  }

  /** A 64-bit hash of {@code length} bytes at {@code start} in {@code buf}. */
  static long hashBytes(ArrowBuf buf, long start, int length) {
    long h = SEED ^ (length * GOLDEN);
    long p = start;
    long end = start + length;
    while (p + 8 <= end) {
      h ^= mixWord(buf.getLong(p));
      h = Long.rotateLeft(h, 27) * 5 + 0x52dce729;
      p += 8;
    }
    if (p < end) {
      long w = 0;
      for (int shift = 0; p < end; p++, shift += 8) {
        w |= (buf.getByte(p) & 0xFFL) << shift;
      }
      h ^= mixWord(w);
    }
    return fmix64(h);
  }

  private static long mixWord(long w) {
    return Long.rotateLeft(w * C1, 31) * C2;
  }

  /** The smallest power of two with {@code keys / capacity <= maxLoad}, at least 16, at most maxCapacity. */
  static int capacityFor(long keys, double maxLoad, int maxCapacity) {
    long wanted = Math.max(16L, (long) Math.ceil(keys / maxLoad));
    long cap = Long.highestOneBit(wanted - 1) << 1;
    if (cap > maxCapacity) {
      throw new IllegalArgumentException("a reference table of " + keys + " keys is too large for one in-memory index"
          + " (at most " + (long) (maxCapacity * maxLoad) + " keys)");
    }
    return (int) cap;
  }
}
