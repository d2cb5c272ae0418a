package io.sabot.reference;

import static io.sabot.reference.TestVectors.ints;
import static io.sabot.reference.TestVectors.longs;
import static io.sabot.reference.TestVectors.strings;
import static io.sabot.reference.TestVectors.timestamps;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.graph.OnDuplicate;
import org.junit.jupiter.api.Test;

/** String keys by their UTF-8 bytes, and composite keys over mixed column types. */
class StringAndCompositeKeyTest extends AllocatorTest {
  private static final int[] KEY0 = {0};

  @Test
  void shouldMatchStringKeysByBytesIncludingEmptyAndMultiByte() {
    String[] keys = {"", "a", "Zürich", "東京", "🚀 launch", "037833100", "0378331000", "abcdefgh", "abcdefgi",
        "abcdefghijklmnopq", "abcdefghijklmnopr", " a", "a "};
    try (ReferenceTable t = table(OnDuplicate.ERROR, KEY0, strings(allocator, "S", keys))) {
      assertEquals("hash-multi", t.indexKind());
      assertEquals(keys.length, t.keyCount());
      assertArrayEquals(TestVectors.identity(keys.length), probeAll(t, strings(allocator, "k", keys)));
      assertArrayEquals(new int[] {-1, -1, -1, -1, -1, -1, -1},
          probeAll(t, strings(allocator, "k", "A", "Zurich", "東", "03783310", "abcdefghijklmnop", null, "b")));
    }
  }

  @Test
  void shouldTellEmptyStringFromNull() {
    try (ReferenceTable t = table(OnDuplicate.LAST, KEY0, strings(allocator, "S", null, ""))) {
      assertEquals(1, t.keyCount());
      assertEquals(1, t.nullKeyRows());
      assertArrayEquals(new int[] {1, -1}, probeAll(t, strings(allocator, "k", "", null)));
    }
  }

  @Test
  void shouldKeepLastAndFirstOfDuplicateStringKey() {
    try (ReferenceTable last = table(OnDuplicate.LAST, KEY0, strings(allocator, "S", "ü", "u", "ü"));
        ReferenceTable first = table(OnDuplicate.FIRST, KEY0, strings(allocator, "S", "ü", "u", "ü"))) {
      assertArrayEquals(new int[] {2, 1}, probeAll(last, strings(allocator, "k", "ü", "u")));
      assertArrayEquals(new int[] {0, 1}, probeAll(first, strings(allocator, "k", "ü", "u")));
      assertEquals(1, last.replacedDuplicates());
      assertEquals(1, first.replacedDuplicates());
    }
  }

  @Test
  void shouldMatchCompositeInt64AndStringKey() {
    try (ReferenceTable t = table(OnDuplicate.ERROR, new int[] {0, 1},
        longs(allocator, "ID", 1L, 1L, 2L, Long.MIN_VALUE, 0L),
        strings(allocator, "VENUE", "a", "b", "a", "", "a"),
        strings(allocator, "NAME", "one-a", "one-b", "two-a", "min", "zero-a"))) {
      assertEquals(5, t.keyCount());
      assertArrayEquals(new int[] {0, 1, 2, 3, 4, -1, -1, -1, -1}, probeAll(t,
          longs(allocator, "k1", 1L, 1L, 2L, Long.MIN_VALUE, 0L, 2L, 1L, 3L, Long.MIN_VALUE),
          strings(allocator, "k2", "a", "b", "a", "", "a", "b", "", "a", "a")));
    }
  }

  @Test
  void shouldWidenInt32InCompositeKeyBothWays() {
    try (ReferenceTable wide = table(OnDuplicate.LAST, new int[] {1, 0},
        strings(allocator, "S", "x", "y", "x"), longs(allocator, "ID", 5L, 5L, -6L));
        ReferenceTable narrow = table(OnDuplicate.LAST, new int[] {0, 1},
            ints(allocator, "ID", 5, 5, -6), strings(allocator, "S", "x", "y", "x"))) {
      assertArrayEquals(new int[] {0, 1, 2, -1}, probeAll(wide,
          ints(allocator, "k1", 5, 5, -6, 6), strings(allocator, "k2", "x", "y", "x", "x")));
      assertArrayEquals(new int[] {0, 1, 2, -1, -1}, probeAll(narrow,
          longs(allocator, "k1", 5L, 5L, -6L, 5L + (1L << 32), -6L & 0xFFFFFFFFL),
          strings(allocator, "k2", "x", "y", "x", "x", "x")));
    }
  }

  @Test
  void shouldMatchCompositeOfIntegralColumnsOnly() {
    try (ReferenceTable t = table(OnDuplicate.ALL, new int[] {0, 1},
        longs(allocator, "A", 1L, 2L, 1L, 1L), timestamps(allocator, "B", 2L, 1L, 2L, 3L))) {
      // (1,2) and (2,1) must not collide into one key, whatever their hashes.
      assertEquals(3, t.keyCount());
      assertArrayEquals(new int[] {0, 1, 3, -1}, probeAll(t,
          longs(allocator, "a", 1L, 2L, 1L, 2L), timestamps(allocator, "b", 2L, 1L, 3L, 2L)));
      assertEquals(2, t.nextMatch(0));
      assertEquals(-1, t.nextMatch(2));
    }
  }
}
