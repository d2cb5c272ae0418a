package io.sabot.physical;

import static io.sabot.testing.TestBatches.row;
import static io.sabot.testing.TestBatches.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.expr.Condition;
import io.sabot.expr.Conditions;
import io.sabot.types.Schema;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FilterExecTest {
  private final RootAllocator allocator = new RootAllocator();
  private static final Schema QUOTES = schema("id:int64", "price:float64", "size:int32",
      "sym:string", "live:bool", "ts:timestamp");
  private static final Object[][] ROWS = {
      {1L, 150.0, 10, "AAPL", true, 1000L},
      {2L, 99.5, null, "MSFT", false, 2000L},
      {3L, null, 30, null, null, null},
      {4L, 100.0, 40, "IBM", true, 4000L},
      {null, 250.25, 50, "", false, 5000L},
  };

  @AfterEach
  void allocatorIsEmpty() {
    assertEquals(0, allocator.getAllocatedMemory());
    allocator.close();
  }

  private List<Object> ids(Map<String, Object> filter) {
    Condition c = Conditions.parse(filter);
    List<ColumnBinding> cols = PipelineHarness.streamColumns(QUOTES);
    RowFilter f = new FilterBinder(cols, "f").bind(c);
    FusedPipeline p = new FusedPipeline(List.of(new FilterExec(f)), cols.subList(0, 1), 1);
    return PipelineHarness.run(allocator, p, QUOTES, ROWS).stream().map(r -> r.get(0))
        .collect(java.util.stream.Collectors.toList());
  }

  private static Map<String, Object> where(String column, String op, Object value) {
    return value == null ? Map.of("column", column, "operator", op)
        : Map.of("column", column, "operator", op, "value", value);
  }

  @Test
  void shouldCompareDoublesAndDropNulls() {
    assertEquals(row(1L, null), ids(where("price", ">", 100)));
    assertEquals(row(1L, 4L, null), ids(where("price", ">=", 100)));
    assertEquals(row(2L), ids(where("price", "<", 100)));
    assertEquals(row(2L, 4L), ids(where("price", "<=", 100)));
    assertEquals(row(4L), ids(where("price", "==", 100)));
    assertEquals(row(1L, 2L, null), ids(where("price", "!=", 100)));
  }

  @Test
  void shouldCompareIntegersWithWholeValuesAndRejectFractionalOnes() {
    assertEquals(row(3L, 4L, null), ids(where("size", ">", 20)));
    assertEquals(row(3L, 4L, null), ids(where("size", ">", 29.0)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ids(where("size", ">", 29.5)));
    assertEquals("column=size in operator f has type int32 but value=29.5 is not a whole number; a"
        + " filter value must fit the column's type (compare with a whole number, or declare the"
        + " column float64)", e.getMessage());
    assertEquals(row(2L, 3L, 4L), ids(where("id", ">=", 2)));
    assertEquals(row(1L, 3L, 4L), ids(where("id", "!=", 2)));
  }

  @Test
  void shouldTreatNullAsNeverEqualNorUnequal() {
    assertEquals(row(1L, 4L, null), ids(where("sym", "!=", "MSFT")));
    assertEquals(row(1L, 2L, 4L), ids(where("id", "not in", List.of(3L))));
  }

  @Test
  void shouldCompareStringsByBytes() {
    assertEquals(row(1L), ids(where("sym", "==", "AAPL")));
    assertEquals(row(2L), ids(where("sym", ">", "IBM")));
    assertEquals(row(1L, null), ids(where("sym", "<", "IBM")));
    assertEquals(row((Object) null), ids(where("sym", "==", "")));
    assertEquals(row(1L, 4L), ids(where("sym", "in", List.of("IBM", "AAPL", "X"))));
    assertEquals(row(2L, null), ids(where("sym", "not in", List.of("IBM", "AAPL"))));
  }

  @Test
  void shouldTestNullsBoolsAndTimestamps() {
    assertEquals(row(3L), ids(where("sym", "is null", null)));
    assertEquals(row(1L, 2L, 4L, null), ids(where("live", "is not null", null)));
    assertEquals(row(1L, 4L), ids(where("live", "==", true)));
    assertEquals(row(2L, null), ids(where("live", "!=", true)));
    assertEquals(row(4L, null), ids(where("ts", ">", 2000)));
    assertEquals(row(1L), ids(where("ts", "<", "1970-01-01T00:00:01.500Z")));
    assertEquals(row(1L, 4L), ids(where("id", "in", List.of(4, 1, 9))));
  }

  @Test
  void shouldNestAllAndAny() {
    Map<String, Object> f = Map.of("any", List.of(
        where("sym", "==", "MSFT"),
        Map.of("all", List.of(where("price", ">", 100), where("size", "<", 45))),
        where("id", "is null", null)));
    assertEquals(row(1L, 2L, null), ids(f));
    Map<String, Object> none = Map.of("all", List.of(where("price", ">", 100),
        where("price", "<", 50)));
    assertEquals(List.of(), ids(none));
  }

  @Test
  void shouldGiveTheSameAnswerOnColumnsWithoutNulls() {
    // Without nulls and before any row is dropped, filters read the buffers in one dense loop.
    Schema dense = schema("l:int64", "d:float64");
    Object[][] rows = new Object[50][];
    for (int i = 0; i < rows.length; i++) rows[i] = new Object[] {(long) (i % 7) - 3, (i % 5) * 0.5};
    List<ColumnBinding> cols = PipelineHarness.streamColumns(dense);
    for (String op : List.of("==", "!=", ">", ">=", "<", "<=")) {
      for (int c = 0; c < 2; c++) {
        String column = c == 0 ? "l" : "d";
        Object value = c == 0 ? (Object) 1L : (Object) 1.0;
        FusedPipeline p = new FusedPipeline(List.of(new FilterExec(new FilterBinder(cols, "f")
            .bind(Conditions.parse(where(column, op, value))))), cols, 1);
        List<List<Object>> expected = new java.util.ArrayList<>();
        for (Object[] r : rows) {
          double v = ((Number) r[c]).doubleValue();
          boolean keep = op.equals("==") ? v == 1 : op.equals("!=") ? v != 1 : op.equals(">") ? v > 1
              : op.equals(">=") ? v >= 1 : op.equals("<") ? v < 1 : v <= 1;
          if (keep) expected.add(java.util.Arrays.asList(r));
        }
        assertEquals(expected, PipelineHarness.run(allocator, p, dense, rows), column + " " + op);
      }
    }
  }

  @Test
  void shouldPassAnEmptyBatch() {
    Condition c = Conditions.parse(where("price", ">", 0));
    List<ColumnBinding> cols = PipelineHarness.streamColumns(QUOTES);
    FusedPipeline p = new FusedPipeline(List.of(new FilterExec(new FilterBinder(cols, "f").bind(c))),
        cols, 1);
    assertEquals(List.of(), PipelineHarness.run(allocator, p, QUOTES));
  }

  @Test
  void shouldRejectValuesOfTheWrongTypeNamingTheColumn() {
    FilterBinder binder = new FilterBinder(PipelineHarness.streamColumns(QUOTES), "f");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> binder.bind(Conditions.parse(where("sym", "==", 5))));
    assertEquals("column=sym in operator f has type string but value=5 is a number; quote the value to compare "
        + "as text", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> binder.bind(Conditions.parse(where("prise", ">", 5))));
    assertEquals("column=prise not found in operator f; available: id, price, size, sym, live, ts", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> binder.bind(Conditions.parse(where("live", ">", true))));
    assertTrue(e.getMessage().startsWith("column=live in operator f is bool; operator '>' does not apply"));
    e = assertThrows(IllegalArgumentException.class,
        () -> Conditions.parse(where("price", "~", 5)));
    assertTrue(e.getMessage().startsWith("operator '~' is not supported; use ==, !="), e.getMessage());
  }
}
