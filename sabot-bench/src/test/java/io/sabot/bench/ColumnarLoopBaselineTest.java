package io.sabot.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.bench.ColumnarLoopBaseline.Shape;
import io.sabot.connect.memory.MemoryTables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The columnar loop against a row-at-a-time reference computed here from the same generated
 * batches: row counts of every shape, and the ARRAY shape's rows themselves.
 */
class ColumnarLoopBaselineTest {
  private static final long N = 20_000;
  private static final long R = 100;
  private static final long TS0 = 1_700_000_000_000L;

  /** One expected output row; cusip, name, sector are null for an unmatched quote (left join). */
  private record Row(long id, double price, long size, long ts, String cusip, String name,
                     String sector) {}

  /** The query row at a time over the Arrow batches: a java.util.HashMap, one quote after another. */
  private static Map<Long, Row> reference(Workload data, boolean left) {
    Map<Long, String[]> securities = new HashMap<>();
    for (VectorSchemaRoot b : data.securities()) {
      BigIntVector id = (BigIntVector) b.getVector("ID");
      for (int r = 0; r < b.getRowCount(); r++) {
        securities.put(id.get(r), new String[] {text(b, "CUSIP", r), text(b, "NAME", r),
            text(b, "SECTOR", r)});
      }
    }
    Map<Long, Row> out = new HashMap<>();
    for (VectorSchemaRoot b : data.quotes()) {
      BigIntVector id = (BigIntVector) b.getVector("instrumentId");
      Float8Vector price = (Float8Vector) b.getVector("price");
      BigIntVector size = (BigIntVector) b.getVector("size");
      BigIntVector ts = (BigIntVector) b.getVector("ts");
      for (int r = 0; r < b.getRowCount(); r++) {
        if (!(price.get(r) > 100)) continue;
        String[] s = securities.get(id.get(r));
        if (s == null && !left) continue;
        out.put(ts.get(r), new Row(id.get(r), price.get(r), size.get(r), ts.get(r),
            s == null ? null : s[0], s == null ? null : s[1], s == null ? null : s[2]));
      }
    }
    return out;
  }

  private static String text(VectorSchemaRoot b, String column, int r) {
    return new String(((VarCharVector) b.getVector(column)).get(r), StandardCharsets.UTF_8);
  }

  private static BenchOptions options(BenchOptions.Join join, Path dir) {
    return BenchOptions.defaults().withSize(N, R).withThreads(2).withJoin(join)
        .withFormat(BenchOptions.Format.MEMORY, dir);
  }

  private static Workload prepare(BenchOptions options) {
    return Workload.prepare(options, new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @EnumSource(BenchOptions.Join.class)
  void shouldWriteAsManyRowsAsTheRowAtATimeReferenceInEveryShape(BenchOptions.Join join,
                                                                  @TempDir Path dir) {
    BenchOptions options = options(join, dir);
    boolean left = join == BenchOptions.Join.LEFT;
    try (Workload data = prepare(options);
         ColumnarLoopBaseline loop = new ColumnarLoopBaseline(data, options, List.of(Shape.values()))) {
      Map<Long, Row> expected = reference(data, left);
      long matched = expected.values().stream().filter(r -> r.cusip() != null).count();
      assertTrue(expected.size() > 1000 && matched < N, "a workload worth checking: " + expected.size());
      if (left) assertTrue(matched < expected.size(), "some quotes have no security");
      for (Shape shape : Shape.values()) {
        for (int run = 0; run < 2; run++) { // the second run reuses every buffer
          Measurement m = loop.run(shape);
          assertEquals(expected.size(), m.rowsOut(), shape + " run " + run);
          assertEquals(matched, loop.matchedRows(), shape + " run " + run);
          assertTrue(m.rowsPerSecond() > 0 && m.buildMillis() >= 0, m.format(shape.label()));
        }
      }
      checkArrayRows(loop.arrayResult(), expected, left);
    }
    assertTrue(MemoryTables.names().isEmpty(), "tables unregistered: " + MemoryTables.names());
  }

  /** The ARRAY shape holds exactly the expected rows (in chunk order), strings and nulls included. */
  private static void checkArrayRows(ColumnarLoopBaseline.ArrayResult a, Map<Long, Row> expected,
                                     boolean left) {
    assertEquals(expected.size(), a.rows());
    assertEquals(left, a.valid() != null);
    Set<Long> seen = new HashSet<>();
    for (ColumnarLoopBaseline.Strings s : List.of(a.cusip(), a.name(), a.sector())) {
      assertEquals(0, s.offsets()[0]);
      for (int j = 0; j < a.rows(); j++) assertTrue(s.offsets()[j] <= s.offsets()[j + 1], "ascending");
      assertEquals(s.data().length, s.offsets()[a.rows()], "every reserved byte written");
    }
    for (int j = 0; j < a.rows(); j++) {
      Row want = expected.get(a.ts()[j]);
      assertTrue(want != null && seen.add(a.ts()[j]), "row " + j + " ts " + a.ts()[j]);
      boolean valid = !left || a.valid()[j] == 1;
      Row got = new Row(a.instrumentId()[j], a.price()[j], a.size()[j], a.ts()[j],
          valid ? a.cusip().get(j) : null, valid ? a.name().get(j) : null,
          valid ? a.sector().get(j) : null);
      assertEquals(want, got, "row " + j);
      if (!valid) {
        assertEquals(0, a.cusip().length(j) + a.name().length(j) + a.sector().length(j),
            "an unmatched row has zero-length strings");
      }
    }
    assertTrue(a.ts()[0] >= TS0);
  }

  @Test
  void shouldPickTheShapesOfTheSink() {
    assertEquals(List.of(Shape.PROBE), ColumnarLoopBaseline.shapesFor(BenchOptions.Output.DISCARD));
    assertEquals(List.of(Shape.ARRAY, Shape.STREAMING),
        ColumnarLoopBaseline.shapesFor(BenchOptions.Output.BATCHES));
    assertEquals(List.of(Shape.ARRAY, Shape.STREAMING),
        ColumnarLoopBaseline.shapesFor(BenchOptions.Output.DEVNULL));
  }

  @Test
  void shouldFindEveryKeyOfTheTableAndNoOther() {
    long[] ids = {5, -3, Long.MIN_VALUE, 0, 1L << 40, 5, Long.MAX_VALUE};
    ColumnarLoopBaseline.IdIndex index = new ColumnarLoopBaseline.IdIndex(ids, ids.length);
    assertEquals(16, index.capacity(), "a power of two at least twice the rows");
    assertEquals(5, index.find(5), "the last row of a duplicate key, as on_duplicate: last");
    assertEquals(1, index.find(-3));
    assertEquals(2, index.find(Long.MIN_VALUE), "the empty marker is a key like any other");
    assertEquals(3, index.find(0));
    assertEquals(4, index.find(1L << 40));
    assertEquals(6, index.find(Long.MAX_VALUE));
    assertEquals(-1, index.find(6));
    assertEquals(-1, new ColumnarLoopBaseline.IdIndex(new long[] {1}, 1).find(Long.MIN_VALUE));
    // many keys: linear probing past collisions
    int n = 100_000;
    long[] many = new long[n];
    for (int i = 0; i < n; i++) many[i] = (long) i * 1024;
    ColumnarLoopBaseline.IdIndex big = new ColumnarLoopBaseline.IdIndex(many, n);
    List<Integer> wrong = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (big.find((long) i * 1024) != i) wrong.add(i);
      if (big.find((long) i * 1024 + 1) != -1) wrong.add(-i);
    }
    assertTrue(wrong.isEmpty(), wrong.toString());
  }

  @Test
  void shouldNotPrepareTheArrayOutputForSinkDiscard(@TempDir Path dir) {
    BenchOptions options = options(BenchOptions.Join.INNER, dir);
    try (Workload data = prepare(options);
         ColumnarLoopBaseline loop = new ColumnarLoopBaseline(data, options)) {
      assertEquals(List.of(Shape.PROBE), loop.shapes());
      assertFalse(loop.run(Shape.PROBE).rowsOut() == 0);
      IllegalStateException e = assertThrows(IllegalStateException.class, loop::arrayResult);
      assertTrue(e.getMessage().contains("ARRAY"), e.getMessage());
    }
  }
}
