package io.sabot.connect;

import static io.sabot.testing.TestBatches.batch;
import static io.sabot.connect.ConnectorTestSupport.closeChecked;
import static io.sabot.connect.ConnectorTestSupport.readAll;
import static io.sabot.testing.TestBatches.row;
import static io.sabot.testing.TestBatches.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.connect.arrow.ArrowIpcSink;
import io.sabot.connect.arrow.ArrowIpcSource;
import io.sabot.connect.console.DiscardSink;
import io.sabot.connect.csv.CsvSink;
import io.sabot.connect.csv.CsvSource;
import io.sabot.connect.jsonl.JsonlSink;
import io.sabot.connect.jsonl.JsonlSource;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.sabot.types.ColumnType;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkRoundTripTest {
  private static final Schema SCHEMA = schema("id:int64", "n:int32", "price:float64", "name:string",
      "ok:bool", "ts:timestamp");
  private static final List<List<Object>> ROWS = List.of(
      row(1L, 7, 101.5, "plain", true, 1_700_000_000_000L),
      row(-2L, null, 1.0E10, "a, \"quoted\"\nline", false, 0L),
      row(null, -8, null, null, null, null),
      row(4L, 0, Double.NaN, "", true, -1L),
      row(5L, 1, 0.1, "é 😀", false, 1_704_164_645_123L));

  @TempDir Path dir;
  private RootAllocator allocator;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    closeChecked(allocator);
  }

  private void writeAll(Sink sink, List<List<Object>> rows) throws Exception {
    try (sink) {
      sink.open(SCHEMA);
      int cut = Math.min(2, rows.size());
      try (VectorSchemaRoot first = batch(allocator, SCHEMA, rows.subList(0, cut));
           VectorSchemaRoot rest = batch(allocator, SCHEMA, rows.subList(cut, rows.size()))) {
        sink.write(first);
        sink.write(rest);
      }
      sink.finish();
    }
  }

  private static Map<String, ColumnType> declared() {
    Map<String, ColumnType> m = new LinkedHashMap<>();
    for (Field f : SCHEMA.fields()) m.put(f.name(), f.type());
    return m;
  }

  @Test
  void shouldWriteCsvWithQuotingOnlyWhereNeededAndReadItBack() throws Exception {
    Path file = dir.resolve("out/deeper/rows.csv");
    writeAll(CsvSink.toPath(file), ROWS);
    assertEquals("id,n,price,name,ok,ts\n"
        + "1,7,101.5,plain,true,1700000000000\n"
        + "-2,,1.0E10,\"a, \"\"quoted\"\"\nline\",false,0\n"
        + ",-8,,,,\n"
        + "4,0,NaN,\"\",true,-1\n"
        + "5,1,0.1,é 😀,false,1704164645123\n", Files.readString(file, StandardCharsets.UTF_8));
    CsvSource back = new CsvSource("back", List.of(file), declared());
    assertEquals(ROWS, readAll(back, allocator).rows());
  }

  @Test
  void shouldInferTheTypesACsvSinkWrote() throws Exception {
    Path file = dir.resolve("rows.csv");
    writeAll(CsvSink.toPath(file), ROWS);
    assertEquals(schema("id:int64", "n:int64", "price:float64", "name:string", "ok:bool", "ts:int64"),
        new CsvSource("back", List.of(file), Map.of()).schema());
  }

  @Test
  void shouldWriteJsonLinesAndReadThemBack() throws Exception {
    Path file = dir.resolve("rows.jsonl");
    writeAll(JsonlSink.toPath(file), ROWS);
    assertEquals("{\"id\":1,\"n\":7,\"price\":101.5,\"name\":\"plain\",\"ok\":true,\"ts\":1700000000000}\n"
        + "{\"id\":-2,\"n\":null,\"price\":1.0E10,\"name\":\"a, \\\"quoted\\\"\\nline\",\"ok\":false,\"ts\":0}\n"
        + "{\"id\":null,\"n\":-8,\"price\":null,\"name\":null,\"ok\":null,\"ts\":null}\n"
        + "{\"id\":4,\"n\":0,\"price\":\"NaN\",\"name\":\"\",\"ok\":true,\"ts\":-1}\n"
        + "{\"id\":5,\"n\":1,\"price\":0.1,\"name\":\"é 😀\",\"ok\":false,\"ts\":1704164645123}\n",
        Files.readString(file, StandardCharsets.UTF_8));
    JsonlSource back = new JsonlSource("back", List.of(file), declared());
    assertEquals(ROWS, readAll(back, allocator).rows());
  }

  @Test
  void shouldWriteAnArrowStreamAndReadItBack() throws Exception {
    Path file = dir.resolve("rows.arrow");
    writeAll(ArrowIpcSink.toPath(file), ROWS);
    ArrowIpcSource back = new ArrowIpcSource("back", List.of(file));
    assertEquals(SCHEMA, back.schema());
    ConnectorTestSupport.Read r = readAll(back, allocator);
    assertEquals(List.of(2, 3), r.batchSizes());
    assertEquals(ROWS, r.rows());
  }

  @Test
  void shouldWriteAValidArrowStreamWithNoBatches() throws Exception {
    Path file = dir.resolve("empty.arrows");
    try (ArrowIpcSink sink = ArrowIpcSink.toPath(file)) {
      sink.open(SCHEMA);
      sink.finish();
    }
    ArrowIpcSource back = new ArrowIpcSource("back", List.of(file));
    assertEquals(SCHEMA, back.schema());
    assertEquals(List.of(), readAll(back, allocator).rows());
  }

  @Test
  void shouldWriteToAStreamWithoutClosingIt() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream() {
      @Override
      public void close() {
        throw new AssertionError("closed the caller's stream");
      }
    };
    writeAll(CsvSink.toStream(out), ROWS.subList(0, 3));
    writeAll(JsonlSink.toStream(out), ROWS.subList(2, 3));
    assertEquals("id,n,price,name,ok,ts\n1,7,101.5,plain,true,1700000000000\n"
        + "-2,,1.0E10,\"a, \"\"quoted\"\"\nline\",false,0\n,-8,,,,\n"
        + "{\"id\":null,\"n\":-8,\"price\":null,\"name\":null,\"ok\":null,\"ts\":null}\n",
        out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void shouldCountRowsInADiscardSink() throws Exception {
    DiscardSink sink = new DiscardSink();
    writeAll(sink, ROWS);
    sink.countOnly(10);
    assertEquals(false, sink.needsRows());
    assertEquals(15, sink.rows());
  }
}
