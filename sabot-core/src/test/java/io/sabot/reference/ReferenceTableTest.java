package io.sabot.reference;

import static io.sabot.reference.TestVectors.doubles;
import static io.sabot.reference.TestVectors.ints;
import static io.sabot.reference.TestVectors.longs;
import static io.sabot.reference.TestVectors.strings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.error.InvalidJobException;
import io.sabot.error.JobExecutionException;
import io.sabot.error.SabotBug;
import io.sabot.graph.OnDuplicate;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;

/** Duplicate policies, null keys, row selections, errors and accessors. */
class ReferenceTableTest extends AllocatorTest {
  private static final int[] KEY0 = {0};

  /** ID: 1 2 1 3 1 (rows 0..4), NAME: a b c d e. */
  private ReferenceTable duplicates(OnDuplicate policy) {
    return table(policy, KEY0, longs(allocator, "ID", 1L, 2L, 1L, 3L, 1L),
        strings(allocator, "NAME", "a", "b", "c", "d", "e"));
  }

  @Test
  void shouldKeepLastRowOfDuplicateKey() {
    try (ReferenceTable t = duplicates(OnDuplicate.LAST)) {
      assertArrayEquals(new int[] {4, 1, 3, -1}, probeAll(t, longs(allocator, "k", 1L, 2L, 3L, 4L)));
      assertEquals(3, t.keyCount());
      assertEquals(2, t.replacedDuplicates());
      assertEquals(-1, t.nextMatch(4));
      assertEquals(5, t.rowCount());
      assertEquals("e", t.column(1).getObject(4).toString());
    }
  }

  @Test
  void shouldKeepFirstRowOfDuplicateKey() {
    try (ReferenceTable t = duplicates(OnDuplicate.FIRST)) {
      assertArrayEquals(new int[] {0, 1, 3, -1}, probeAll(t, longs(allocator, "k", 1L, 2L, 3L, 4L)));
      assertEquals(3, t.keyCount());
      assertEquals(2, t.replacedDuplicates());
      assertEquals(-1, t.nextMatch(0));
    }
  }

  @Test
  void shouldChainAllRowsOfDuplicateKeyInInsertionOrder() {
    try (ReferenceTable t = duplicates(OnDuplicate.ALL)) {
      assertArrayEquals(new int[] {0, 1, 3, -1}, probeAll(t, longs(allocator, "k", 1L, 2L, 3L, 4L)));
      assertEquals(2, t.nextMatch(0));
      assertEquals(4, t.nextMatch(2));
      assertEquals(-1, t.nextMatch(4));
      assertEquals(-1, t.nextMatch(1));
      assertEquals(-1, t.nextMatch(3));
      assertEquals(3, t.keyCount());
      assertEquals(0, t.replacedDuplicates());
    }
  }

  @Test
  void shouldChainAllRowsOfDuplicateStringKey() {
    try (ReferenceTable t = table(OnDuplicate.ALL, KEY0, strings(allocator, "S", "x", "y", "x", "x"))) {
      assertArrayEquals(new int[] {0, 1}, probeAll(t, strings(allocator, "k", "x", "y")));
      assertEquals(2, t.nextMatch(0));
      assertEquals(3, t.nextMatch(2));
      assertEquals(-1, t.nextMatch(3));
    }
  }

  @Test
  void shouldAcceptUniqueKeysWithErrorPolicy() {
    try (ReferenceTable t = table(OnDuplicate.ERROR, KEY0, longs(allocator, "ID", 7L, 8L))) {
      assertArrayEquals(new int[] {1, 0}, probeAll(t, longs(allocator, "k", 8L, 7L)));
      assertEquals(0, t.replacedDuplicates());
    }
  }

  @Test
  void shouldStopAtFirstDuplicateWithErrorPolicyAndCloseRows() {
    var e = assertThrows(JobExecutionException.class, () -> table(OnDuplicate.ERROR, KEY0,
        longs(allocator, "ID", 4L, 1L, 5L, 2L, 3L, 6L, 7L, 8L, 5L, 5L)));
    assertEquals("Execution failed in operator enrich: duplicate key ID=5 in the reference input (rows 3 and 9); "
        + "on_duplicate: error stops at the first duplicate; use last, first or all", e.getMessage());
    assertEquals("enrich", e.operator());
  }

  @Test
  void shouldNameEveryKeyColumnOfCompositeDuplicate() {
    var e = assertThrows(JobExecutionException.class, () -> table(OnDuplicate.ERROR, new int[] {0, 1},
        longs(allocator, "ID", 1L, 1L, 1L), strings(allocator, "VENUE", "X", "Y", "Y")));
    assertTrue(e.getMessage().contains("duplicate key ID=1, VENUE=\"Y\" in the reference input (rows 2 and 3)"),
        e.getMessage());
  }

  @Test
  void shouldNeverIndexNullReferenceKeys() {
    try (ReferenceTable t = table(OnDuplicate.LAST, KEY0, longs(allocator, "ID", null, 1L, null, 2L))) {
      assertEquals(2, t.nullKeyRows());
      assertEquals(2, t.keyCount());
      assertArrayEquals(new int[] {1, 3, -1}, probeAll(t, longs(allocator, "k", 1L, 2L, 0L)));
    }
  }

  @Test
  void shouldNotCountNullKeysAsDuplicates() {
    try (ReferenceTable t = table(OnDuplicate.ERROR, KEY0, strings(allocator, "S", null, "a", null))) {
      assertEquals(2, t.nullKeyRows());
      assertEquals(0, t.replacedDuplicates());
    }
  }

  @Test
  void shouldNeverMatchNullProbeKey() {
    try (ReferenceTable t = table(OnDuplicate.LAST, KEY0, longs(allocator, "ID", 0L, 1L))) {
      // A null slot's data bytes are zero, which is a real key here: the validity bit must win.
      assertArrayEquals(new int[] {-1, 1, -1}, probeAll(t, longs(allocator, "k", null, 1L, null)));
    }
  }

  @Test
  void shouldNeverMatchRowWithNullInAnyCompositeKeyColumn() {
    try (ReferenceTable t = table(OnDuplicate.LAST, new int[] {0, 1},
        longs(allocator, "ID", 1L, null, 1L), strings(allocator, "S", null, "a", "a"))) {
      assertEquals(2, t.nullKeyRows());
      assertEquals(1, t.keyCount());
      assertArrayEquals(new int[] {2, -1, -1}, probeAll(t,
          longs(allocator, "k1", 1L, null, 1L), strings(allocator, "k2", "a", "a", null)));
    }
  }

  @Test
  void shouldAnswerNoMatchForMinusOneRowsAndFollowRowSelection() {
    try (ReferenceTable t = table(OnDuplicate.LAST, KEY0, longs(allocator, "ID", 10L, 20L, 30L));
        FieldVector probe = longs(allocator, "k", 30L, 99L, 10L, 20L)) {
      int[] rows = {-1, 3, 0, -1, 2, 2, 1};
      int[] out = new int[rows.length + 2];
      java.util.Arrays.fill(out, 42);
      t.probe(new FieldVector[] {probe}, rows, rows.length, out);
      assertArrayEquals(new int[] {-1, 1, 2, -1, 0, 0, -1, 42, 42}, out);
    }
  }

  @Test
  void shouldBuildEmptyTable() {
    try (ReferenceTable t = table(OnDuplicate.LAST, KEY0, longs(allocator, "ID"), strings(allocator, "S"))) {
      assertEquals(0, t.rowCount());
      assertEquals(0, t.keyCount());
      assertArrayEquals(new int[] {-1, -1}, probeAll(t, longs(allocator, "k", 0L, 1L)));
    }
  }

  @Test
  void shouldBuildTableOfOnlyNullKeys() {
    try (ReferenceTable t = table(OnDuplicate.LAST, KEY0, ints(allocator, "ID", null, null))) {
      assertEquals(2, t.nullKeyRows());
      assertArrayEquals(new int[] {-1}, probeAll(t, ints(allocator, "k", 0)));
    }
  }

  @Test
  void shouldRejectFloatKeyColumnAndCloseRows() {
    var e = assertThrows(InvalidJobException.class, () -> table(OnDuplicate.LAST, KEY0, doubles(allocator, "PRICE", 1.5)));
    assertEquals("Invalid job: key column PRICE of operator enrich has type float64; "
        + "a join key must be int32, int64, timestamp or string", e.getMessage());
  }

  @Test
  void shouldRejectStringProbeAgainstIntegralKey() {
    try (ReferenceTable t = table(OnDuplicate.LAST, KEY0, longs(allocator, "ID", 1L));
        VarCharVector probe = strings(allocator, "k", "1")) {
      var e = assertThrows(SabotBug.class, () -> t.probe(new FieldVector[] {probe}, new int[] {0}, 1, new int[1]));
      assertTrue(e.getMessage().contains("cannot be compared with reference key column ID:int64"), e.getMessage());
    }
  }

  @Test
  void shouldRejectWrongNumberOfProbeKeys() {
    try (ReferenceTable t = table(OnDuplicate.LAST, KEY0, longs(allocator, "ID", 1L));
        FieldVector a = longs(allocator, "a", 1L); FieldVector b = longs(allocator, "b", 1L)) {
      assertThrows(SabotBug.class, () -> t.probe(new FieldVector[] {a, b}, new int[] {0}, 1, new int[1]));
    }
  }

  @Test
  void shouldReportSizeOfIndexAndColumns() {
    try (ReferenceTable t = table(OnDuplicate.ALL, KEY0, longs(allocator, "ID", 5L, -5L), strings(allocator, "S", "a", "b"))) {
      assertTrue(t.sizeInBytes() > 16 * 8 + 2 * 4 + 2 * 8, "size " + t.sizeInBytes());
      assertEquals("ID:int64, S:string", t.schema().toString().replaceAll("[\\[\\]]", ""));
    }
  }

  @Test
  void shouldCloseOnlyOnce() {
    BigIntVector ids = longs(allocator, "ID", 1L);
    ArrowBuf keys = ids.getDataBuffer();
    keys.getReferenceManager().retain(); // the test's own hold, to count the table's releases
    ReferenceTable t = table(OnDuplicate.LAST, KEY0, ids);
    assertTrue(keys.refCnt() > 1, "the table holds the key column");

    t.close();
    assertEquals(1, keys.refCnt(), "the table released every hold it had");
    assertEquals(keys.getReferenceManager().getAccountedSize(), allocator.getAllocatedMemory(),
        "only the test's hold is left");

    assertDoesNotThrow(t::close);
    assertEquals(1, keys.refCnt(), "a second close releases nothing");
    assertThrows(SabotBug.class, () -> t.column(0));

    keys.getReferenceManager().release();
    assertEquals(0, allocator.getAllocatedMemory());
  }

  @Test
  void shouldRefuseToReadColumnsAfterClose() {
    ReferenceTable t = table(OnDuplicate.LAST, KEY0, longs(allocator, "ID", 1L));
    t.close();
    var e = assertThrows(SabotBug.class, () -> t.column(0));
    assertTrue(e.getMessage().contains("reference table of operator enrich was read after it was closed"), e.getMessage());
    assertEquals(1, t.keyCount());
  }
}
