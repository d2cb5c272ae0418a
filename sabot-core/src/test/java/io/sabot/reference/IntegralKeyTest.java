package io.sabot.reference;

import static io.sabot.reference.TestVectors.ints;
import static io.sabot.reference.TestVectors.longs;
import static io.sabot.reference.TestVectors.timestamps;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.graph.OnDuplicate;
import java.util.Random;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Single int32 / int64 / timestamp keys: widening, extreme values, direct and hash index. */
class IntegralKeyTest extends AllocatorTest {
  private static final int[] KEY0 = {0};

  @ParameterizedTest
  @EnumSource(value = IndexChoice.class, names = {"AUTO", "HASH"})
  void shouldMatchInt32ProbeAgainstInt64Key(IndexChoice choice) {
    try (ReferenceTable t = build(choice, longs(allocator, "ID", 3L, 1L, 2L, 1L << 40, -7L))) {
      assertArrayEquals(new int[] {1, 2, 0, -1, 4, -1},
          probeAll(t, ints(allocator, "k", 1, 2, 3, 0, -7, null)));
    }
  }

  @ParameterizedTest
  @EnumSource(value = IndexChoice.class, names = {"AUTO", "HASH"})
  void shouldMatchInt64ProbeAgainstInt32Key(IndexChoice choice) {
    try (ReferenceTable t = build(choice, ints(allocator, "ID", 3, 1, 2, Integer.MIN_VALUE, Integer.MAX_VALUE))) {
      assertArrayEquals(new int[] {1, 2, 0, 3, 4, -1, -1, -1},
          probeAll(t, longs(allocator, "k", 1L, 2L, 3L, (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE,
              1L << 32 | 1L, Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L)));
    }
  }

  @ParameterizedTest
  @EnumSource(value = IndexChoice.class, names = {"AUTO", "HASH"})
  void shouldNeverMatchNullProbeKeyOverRealKeyBytes(IndexChoice choice) {
    // The null slots hold 0 under a cleared validity bit, and 0 is a key here: validity must win.
    try (ReferenceTable t = build(choice, longs(allocator, "ID", 1L, 0L, 2L))) {
      assertEquals(choice == IndexChoice.AUTO ? "direct" : "hash-long", t.indexKind());
      assertArrayEquals(new int[] {-1, 1, -1, 2}, probeAll(t, longs(allocator, "k", null, 0L, null, 2L)));
      assertArrayEquals(new int[] {-1, 1, -1, 2}, probeAll(t, ints(allocator, "k", null, 0, null, 2)));
    }
  }

  @Test
  void shouldUseEveryLongAsAnOrdinaryKey() {
    // -1 fills the empty slots of the hash table; it, 0 and the extremes must behave like any key.
    Long[] keys = {Long.MIN_VALUE, Long.MAX_VALUE, -1L, 0L, 1L, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, -2L};
    try (ReferenceTable t = table(OnDuplicate.LAST, KEY0, longs(allocator, "ID", keys))) {
      assertEquals("hash-long", t.indexKind());
      assertEquals(keys.length, t.keyCount());
      assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, probeAll(t, longs(allocator, "k", keys)));
      assertArrayEquals(new int[] {-1, -1, -1}, probeAll(t, longs(allocator, "k", 2L, Long.MIN_VALUE + 2, -3L)));
    }
  }

  @Test
  void shouldMissMinusOneWhenAbsentFromHashTable() {
    try (ReferenceTable t = table(OnDuplicate.LAST, KEY0, longs(allocator, "ID", -5L, 1L << 50))) {
      assertArrayEquals(new int[] {-1, -1, 0, 1}, probeAll(t, longs(allocator, "k", -1L, 0L, -5L, 1L << 50)));
      assertArrayEquals(new int[] {-1}, probeAll(t, ints(allocator, "k", -1)));
    }
  }

  @Test
  void shouldReplaceAndKeepMinusOneAsDuplicateKey() {
    try (ReferenceTable last = table(OnDuplicate.LAST, KEY0, longs(allocator, "ID", -1L, -9L, -1L));
        ReferenceTable all = table(OnDuplicate.ALL, KEY0, longs(allocator, "ID", -1L, -9L, -1L))) {
      assertArrayEquals(new int[] {2}, probeAll(last, longs(allocator, "k", -1L)));
      assertEquals(1, last.replacedDuplicates());
      assertArrayEquals(new int[] {0}, probeAll(all, longs(allocator, "k", -1L)));
      assertEquals(2, all.nextMatch(0));
    }
  }

  @Test
  void shouldMatchTimestampKeysAsLongs() {
    long t0 = 1_700_000_000_000L;
    try (ReferenceTable t = table(OnDuplicate.LAST, KEY0, timestamps(allocator, "TS", t0, t0 + 1, null, -86_400_000L))) {
      assertEquals("hash-long", t.indexKind());
      assertArrayEquals(new int[] {1, 0, 3, -1},
          probeAll(t, timestamps(allocator, "k", t0 + 1, t0, -86_400_000L, null)));
      assertArrayEquals(new int[] {0}, probeAll(t, longs(allocator, "k", t0)));
    }
  }

  @Test
  void shouldUseDirectIndexForDenseNonNegativeKeys() {
    try (ReferenceTable dense = table(OnDuplicate.LAST, KEY0, longs(allocator, "ID", 0L, 3L, 2L, 1L));
        ReferenceTable sparse = table(OnDuplicate.LAST, KEY0, longs(allocator, "ID", 0L, 1L, 1_000_000L));
        ReferenceTable negative = table(OnDuplicate.LAST, KEY0, ints(allocator, "ID", -1, 0, 1));
        ReferenceTable composite = table(OnDuplicate.LAST, new int[] {0, 1},
            longs(allocator, "A", 0L, 1L), longs(allocator, "B", 0L, 1L))) {
      assertEquals("direct", dense.indexKind());
      assertEquals("hash-long", sparse.indexKind());
      assertEquals("hash-long", negative.indexKind());
      assertEquals("hash-multi", composite.indexKind());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"LAST", "FIRST", "ALL"})
  void shouldGiveSameAnswersFromDirectAndHashIndex(String policyName) {
    OnDuplicate policy = OnDuplicate.valueOf(policyName);
    int rows = 50_000;
    Random random = new Random(7);
    long[] keys = new long[rows];
    boolean[] nulls = new boolean[rows];
    for (int i = 0; i < rows; i++) {
      keys[i] = random.nextInt(rows + rows / 2); // dense, with duplicates and gaps
      nulls[i] = random.nextInt(50) == 0;
    }
    int probes = 200_000;
    long[] probeKeys = new long[probes];
    boolean[] probeNulls = new boolean[probes];
    int[] probeInts = new int[probes];
    for (int i = 0; i < probes; i++) {
      probeKeys[i] = random.nextInt(rows * 2 + 20) - 10; // negative, in range, beyond max
      probeNulls[i] = random.nextInt(50) == 0;
      probeInts[i] = (int) probeKeys[i];
    }
    probeKeys[0] = Long.MIN_VALUE;
    probeKeys[1] = Long.MAX_VALUE;
    probeKeys[2] = 1L << 32; // would alias key 0 if narrowed to int
    try (ReferenceTable direct = build(policy, IndexChoice.AUTO, longs(allocator, "ID", keys, nulls));
        ReferenceTable hash = build(policy, IndexChoice.HASH, longs(allocator, "ID", keys, nulls))) {
      assertEquals("direct", direct.indexKind());
      assertEquals("hash-long", hash.indexKind());
      assertEquals(hash.keyCount(), direct.keyCount());
      assertEquals(hash.replacedDuplicates(), direct.replacedDuplicates());
      assertEquals(hash.nullKeyRows(), direct.nullKeyRows());
      int[] fromDirect = probeAll(direct, longs(allocator, "k", probeKeys, probeNulls));
      assertArrayEquals(probeAll(hash, longs(allocator, "k", probeKeys, probeNulls)), fromDirect);
      assertEquals(-1, fromDirect[2]);
      assertArrayEquals(probeAll(hash, ints(allocator, "k", probeInts)), probeAll(direct, ints(allocator, "k", probeInts)));
      for (int r = 0; r < rows; r++) assertEquals(hash.nextMatch(r), direct.nextMatch(r));
    }
  }

  private static ReferenceTable build(IndexChoice choice, FieldVector key) {
    return build(OnDuplicate.LAST, choice, key);
  }

  private static ReferenceTable build(OnDuplicate policy, IndexChoice choice, FieldVector key) {
    VectorSchemaRoot root = TestVectors.root(key);
    return ReferenceTable.build("enrich", TestVectors.schemaOf(root), root, KEY0, policy, choice);
  }
}
