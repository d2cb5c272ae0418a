package io.sabot.reference;

import static io.sabot.reference.TestVectors.longs;
import static io.sabot.reference.TestVectors.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.graph.OnDuplicate;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.arrow.vector.FieldVector;
import org.junit.jupiter.api.Test;

/** Many random keys, checked row by row against a java.util.HashMap built the same way. */
class RandomKeysTest extends AllocatorTest {
  private static final int[] KEY0 = {0};

  @Test
  void shouldAgreeWithHashMapOnMillionRandomLongKeys() {
    int rows = 1_000_000;
    Random random = new Random(42);
    long[] keys = new long[rows];
    boolean[] nulls = new boolean[rows];
    for (int i = 0; i < rows; i++) {
      // Half wide random longs, half from a narrow range so that duplicates are common.
      keys[i] = random.nextBoolean() ? random.nextLong() : random.nextInt(400_000) - 200_000;
      nulls[i] = random.nextInt(100) == 0;
    }
    long[] probes = new long[rows];
    boolean[] probeNulls = new boolean[rows];
    for (int i = 0; i < rows; i++) {
      probes[i] = random.nextInt(3) == 0 ? random.nextLong() : keys[random.nextInt(rows)];
      probeNulls[i] = random.nextInt(100) == 0; // over a real key: must still miss
    }
    Object[] boxed = boxed(keys, nulls);
    for (OnDuplicate policy : new OnDuplicate[] {OnDuplicate.LAST, OnDuplicate.FIRST, OnDuplicate.ALL}) {
      try (ReferenceTable t = table(policy, KEY0, longs(allocator, "ID", keys, nulls))) {
        assertEquals("hash-long", t.indexKind());
        Map<Object, Integer> expected = expectedIndex(boxed, policy);
        checkAgainstHashMap(t, policy, boxed, expected);
        int[] out = probeInBatches(t, longs(allocator, "k", probes, probeNulls), random);
        for (int i = 0; i < rows; i++) {
          long key = probes[i];
          assertEquals(probeNulls[i] ? -1 : expected.getOrDefault(key, -1), out[i], () -> "probe " + key);
        }
      }
    }
  }

  @Test
  void shouldAgreeWithHashMapOnRandomStringKeys() {
    checkRandomStringKeys(IndexChoice.AUTO, 200_000);
  }

  @Test
  void shouldCompareStringKeyBytesWhenHashesCollide() {
    checkRandomStringKeys(IndexChoice.HASH_COLLIDING, 3_000);
  }

  private void checkRandomStringKeys(IndexChoice choice, int rows) {
    Random random = new Random(3);
    String[] keys = new String[rows];
    for (int i = 0; i < rows; i++) keys[i] = random.nextInt(200) == 0 ? null : randomString(random);
    String[] probes = new String[rows];
    for (int i = 0; i < rows; i++) probes[i] = random.nextBoolean() ? keys[random.nextInt(rows)] : randomString(random);
    for (OnDuplicate policy : new OnDuplicate[] {OnDuplicate.LAST, OnDuplicate.FIRST, OnDuplicate.ALL}) {
      try (ReferenceTable t = table(choice, policy, KEY0, strings(allocator, "S", keys))) {
        Map<Object, Integer> expected = expectedIndex(keys, policy);
        checkAgainstHashMap(t, policy, keys, expected);
        int[] out = probeInBatches(t, strings(allocator, "k", probes), random);
        for (int i = 0; i < rows; i++) {
          int want = probes[i] == null ? -1 : expected.getOrDefault(probes[i], -1);
          String key = probes[i];
          assertEquals(want, out[i], () -> "probe '" + key + "'");
        }
      }
    }
  }

  @Test
  void shouldAgreeWithHashMapOnRandomCompositeKeys() {
    checkRandomCompositeKeys(IndexChoice.AUTO, 300_000, 100_000);
  }

  @Test
  void shouldCompareCompositeKeyValuesWhenHashesCollide() {
    checkRandomCompositeKeys(IndexChoice.HASH_COLLIDING, 3_000, 1_000);
  }

  private void checkRandomCompositeKeys(IndexChoice choice, int rows, int idRange) {
    Random random = new Random(11);
    long[] ids = new long[rows];
    String[] venues = new String[rows];
    String[] composite = new String[rows];
    for (int i = 0; i < rows; i++) {
      ids[i] = random.nextInt(idRange);
      venues[i] = random.nextInt(300) == 0 ? null : "V" + random.nextInt(5);
      composite[i] = venues[i] == null ? null : ids[i] + "|" + venues[i];
    }
    long[] probeIds = new long[rows];
    String[] probeVenues = new String[rows];
    for (int i = 0; i < rows; i++) {
      probeIds[i] = random.nextInt(idRange + idRange / 10);
      probeVenues[i] = "V" + random.nextInt(6);
    }
    for (OnDuplicate policy : new OnDuplicate[] {OnDuplicate.LAST, OnDuplicate.FIRST, OnDuplicate.ALL}) {
      try (ReferenceTable t = table(choice, policy, new int[] {0, 1}, longs(allocator, "ID", ids, null),
          strings(allocator, "VENUE", venues))) {
        Map<Object, Integer> expected = expectedIndex(composite, policy);
        checkAgainstHashMap(t, policy, composite, expected);
        int[] out = probeInBatches(t, random, longs(allocator, "k1", probeIds, null), strings(allocator, "k2", probeVenues));
        for (int i = 0; i < rows; i++) {
          assertEquals(expected.getOrDefault(probeIds[i] + "|" + probeVenues[i], -1), out[i]);
        }
      }
    }
  }

  /** The map a correct table implies: key to its last (LAST) or first (FIRST, ALL) row. */
  private static Map<Object, Integer> expectedIndex(Object[] keys, OnDuplicate policy) {
    Map<Object, Integer> m = new HashMap<>();
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] == null) continue;
      if (policy == OnDuplicate.LAST) m.put(keys[i], i); else m.putIfAbsent(keys[i], i);
    }
    return m;
  }

  /** Counters and, for ALL, every duplicate chain. */
  private static void checkAgainstHashMap(ReferenceTable t, OnDuplicate policy, Object[] keys,
      Map<Object, Integer> index) {
    long nulls = 0;
    for (Object k : keys) if (k == null) nulls++;
    assertEquals(index.size(), t.keyCount());
    assertEquals(nulls, t.nullKeyRows());
    assertEquals(policy == OnDuplicate.ALL ? 0 : keys.length - nulls - index.size(), t.replacedDuplicates());
    Map<Object, Integer> laterRow = new HashMap<>();
    for (int r = keys.length - 1; r >= 0; r--) {
      int want = -1;
      if (keys[r] != null && policy == OnDuplicate.ALL) {
        Integer later = laterRow.put(keys[r], r);
        want = later == null ? -1 : later;
      }
      int row = r;
      assertEquals(want, t.nextMatch(r), () -> "nextMatch(" + row + ")");
    }
  }

  /** Probes in batches of varying size, each with rows in shuffled order, then closes the vectors. */
  private static int[] probeInBatches(ReferenceTable t, Random random, FieldVector... probeKeys) {
    try {
      int n = probeKeys[0].getValueCount();
      int[] result = new int[n];
      int[] rows = new int[4096];
      int[] out = new int[4096];
      for (int start = 0; start < n; ) {
        int size = Math.min(n - start, 1 + random.nextInt(4096));
        for (int i = 0; i < size; i++) rows[i] = start + i;
        for (int i = size - 1; i > 0; i--) {
          int j = random.nextInt(i + 1);
          int tmp = rows[i];
          rows[i] = rows[j];
          rows[j] = tmp;
        }
        t.probe(probeKeys, rows, size, out);
        for (int i = 0; i < size; i++) result[rows[i]] = out[i];
        start += size;
      }
      return result;
    } finally {
      for (FieldVector v : probeKeys) v.close();
    }
  }

  private static int[] probeInBatches(ReferenceTable t, FieldVector probeKey, Random random) {
    return probeInBatches(t, random, probeKey);
  }

  private static Object[] boxed(long[] keys, boolean[] nulls) {
    Object[] out = new Object[keys.length];
    for (int i = 0; i < keys.length; i++) out[i] = nulls[i] ? null : keys[i];
    return out;
  }

  /** 1- to 4-byte UTF-8 characters; mostly short strings (many duplicates), some up to 29 characters. */
  private static final int[] ALPHABET = "ab0é東🚀".codePoints().toArray();

  private static String randomString(Random random) {
    int len = random.nextInt(4) == 0 ? random.nextInt(30) : random.nextInt(4);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < len; i++) sb.appendCodePoint(ALPHABET[random.nextInt(ALPHABET.length)]);
    return sb.toString();
  }
}
