package io.sabot.physical;

import static io.sabot.testing.TestBatches.row;
import static io.sabot.testing.TestBatches.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.graph.OnDuplicate;
import io.sabot.reference.ReferenceTable;
import io.sabot.testing.TestBatches;
import io.sabot.types.ColumnType;
import io.sabot.types.Schema;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HashJoinExecTest {
  private final RootAllocator allocator = new RootAllocator();
  private final List<ReferenceTable> tables = new ArrayList<>();

  private static final Schema QUOTES = schema("instrumentId:int32", "price:float64");
  private static final Object[][] QUOTE_ROWS = {
      {1, 10.0}, {2, 20.0}, {null, 30.0}, {3, 40.0}, {1, 50.0}, {9, 60.0}};
  private static final Schema SECURITIES = schema("ID:int64", "NAME:string", "price:float64");
  private static final Object[][] SECURITY_ROWS = {
      {1L, "ONE", 1.5}, {2L, "TWO", 2.5}, {3L, null, 3.5}, {2L, "TWO-B", 2.75}, {null, "NULL", 0.0}};

  @AfterEach
  void close() {
    tables.forEach(ReferenceTable::close);
    assertEquals(0, allocator.getAllocatedMemory());
    allocator.close();
  }

  private ReferenceTable table(Schema s, Object[][] rows, int[] keys, OnDuplicate policy) {
    ReferenceTable t = ReferenceTable.build("enrich", s, TestBatches.batch(allocator, s, rows),
        keys, policy);
    tables.add(t);
    return t;
  }

  /** quotes ⋈ securities on instrumentId = ID: output quotes columns, NAME, price_right. */
  private List<List<Object>> join(boolean leftOuter, OnDuplicate policy) {
    ReferenceTable t = table(SECURITIES, SECURITY_ROWS, new int[] {0}, policy);
    HashJoinExec probe = new HashJoinExec(1, 0, new int[] {0}, leftOuter, policy == OnDuplicate.ALL);
    probe.attach(t);
    List<ColumnBinding> out = new ArrayList<>(PipelineHarness.streamColumns(QUOTES));
    out.add(new ColumnBinding("NAME", 1, 1, ColumnType.STRING));
    out.add(new ColumnBinding("price_right", 1, 2, ColumnType.FLOAT64));
    return PipelineHarness.run(allocator, new FusedPipeline(List.of(probe), out, 2), QUOTES,
        QUOTE_ROWS);
  }

  @Test
  void shouldDropUnmatchedAndNullKeysInInnerJoinWithLastDuplicateWinning() {
    assertEquals(List.of(
        row(1, 10.0, "ONE", 1.5),
        row(2, 20.0, "TWO-B", 2.75),
        row(3, 40.0, null, 3.5),
        row(1, 50.0, "ONE", 1.5)), join(false, OnDuplicate.LAST));
  }

  @Test
  void shouldKeepUnmatchedRowsInLeftOuterJoin() {
    assertEquals(List.of(
        row(1, 10.0, "ONE", 1.5),
        row(2, 20.0, "TWO", 2.5),
        row(null, 30.0, null, null),
        row(3, 40.0, null, 3.5),
        row(1, 50.0, "ONE", 1.5),
        row(9, 60.0, null, null)), join(true, OnDuplicate.FIRST));
  }

  @Test
  void shouldEmitEveryMatchInReferenceOrderWithOnDuplicateAll() {
    assertEquals(List.of(
        row(1, 10.0, "ONE", 1.5),
        row(2, 20.0, "TWO", 2.5),
        row(2, 20.0, "TWO-B", 2.75),
        row(null, 30.0, null, null),
        row(3, 40.0, null, 3.5),
        row(1, 50.0, "ONE", 1.5),
        row(9, 60.0, null, null)), join(true, OnDuplicate.ALL));
  }

  @Test
  void shouldChainJoinsWhereTheSecondKeyComesFromTheFirstTable() {
    Schema sec = schema("ID:int64", "EXCHANGE:string");
    ReferenceTable securities = table(sec, new Object[][] {{1L, "NYSE"}, {2L, "LSE"}, {3L, "XETRA"}},
        new int[] {0}, OnDuplicate.LAST);
    Schema ex = schema("CODE:string", "CITY:string");
    ReferenceTable exchanges = table(ex, new Object[][] {{"LSE", "London"}, {"NYSE", "New York"}},
        new int[] {0}, OnDuplicate.LAST);
    HashJoinExec first = new HashJoinExec(1, 0, new int[] {0}, false, false);
    first.attach(securities);
    HashJoinExec second = new HashJoinExec(2, 1, new int[] {1}, true, false);
    second.attach(exchanges);
    FilterExec cheap = new FilterExec(new FilterBinder(PipelineHarness.streamColumns(QUOTES), "f")
        .bind(io.sabot.expr.Conditions.parse(java.util.Map.of("column", "price", "operator", "<",
            "value", 55))));
    List<ColumnBinding> out = List.of(
        new ColumnBinding("price", 0, 1, ColumnType.FLOAT64),
        new ColumnBinding("EXCHANGE", 1, 1, ColumnType.STRING),
        new ColumnBinding("CITY", 2, 1, ColumnType.STRING));
    List<List<Object>> rows = PipelineHarness.run(allocator,
        new FusedPipeline(List.of(cheap, first, second), out, 3), QUOTES, QUOTE_ROWS);
    assertEquals(List.of(
        row(10.0, "NYSE", "New York"),
        row(20.0, "LSE", "London"),
        row(40.0, "XETRA", null),
        row(50.0, "NYSE", "New York")), rows);
    assertEquals(3 * 4, second.rowsIn()); // three harness passes, four rows each
    assertEquals(3 * 3, second.matched()); // three harness passes, three matches each
  }

  @Test
  void shouldJoinOnCompositeStringAndIntegerKeys() {
    Schema stream = schema("venue:string", "id:int64", "qty:int32");
    Schema ref = schema("VENUE:string", "ID:int32", "LABEL:string");
    ReferenceTable t = table(ref, new Object[][] {{"X", 1, "x1"}, {"Y", 1, "y1"}, {"X", 2, "x2"}},
        new int[] {0, 1}, OnDuplicate.LAST);
    HashJoinExec probe = new HashJoinExec(1, 0, new int[] {0, 1}, false, false);
    probe.attach(t);
    List<ColumnBinding> out = new ArrayList<>(PipelineHarness.streamColumns(stream));
    out.add(new ColumnBinding("LABEL", 1, 2, ColumnType.STRING));
    assertEquals(List.of(row("Y", 1L, 5, "y1"), row("X", 2L, 6, "x2")),
        PipelineHarness.run(allocator, new FusedPipeline(List.of(probe), out, 2), stream,
            new Object[] {"Y", 1L, 5}, new Object[] {"Z", 1L, 7}, new Object[] {"X", 2L, 6},
            new Object[] {"X", null, 8}));
  }
}
