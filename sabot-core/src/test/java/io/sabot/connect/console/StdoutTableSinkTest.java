package io.sabot.connect.console;

import static io.sabot.testing.TestBatches.batch;
import static io.sabot.connect.ConnectorTestSupport.closeChecked;
import static io.sabot.testing.TestBatches.row;
import static io.sabot.testing.TestBatches.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.types.Schema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StdoutTableSinkTest {
  private static final Schema SCHEMA = schema("instrumentId:int64", "price:float64", "NAME:string",
      "ts:timestamp");
  private RootAllocator allocator;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    closeChecked(allocator);
  }

  private String print(int limit, List<List<Object>> first, List<List<Object>> second) {
    try (StdoutTableSink sink = new StdoutTableSink(out, limit)) {
      sink.open(SCHEMA);
      try (VectorSchemaRoot a = batch(allocator, SCHEMA, first);
           VectorSchemaRoot b = batch(allocator, SCHEMA, second)) {
        sink.write(a);
        sink.write(b);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void shouldAlignColumnsToEveryRowShown() {
    String text = print(50,
        List.of(row(7L, 101.5, "SEC7", 1_700_000_000_000L)),
        List.of(row(1234567L, null, "a\nb", 0L), row(3L, 2.25, null, null)));
    assertEquals(""
        + "instrumentId  price  NAME  ts\n"
        + "------------  -----  ----  --------------------\n"
        + "           7  101.5  SEC7  2023-11-14T22:13:20Z\n"
        + "     1234567   null  a b   1970-01-01T00:00:00Z\n"
        + "           3   2.25  null  null\n"
        + "(3 rows)\n", text);
  }

  @Test
  void shouldStopAtTheLimitAndCountTheRest() {
    String text = print(2,
        List.of(row(1L, 1.0, "x".repeat(45), 0L), row(2L, 2.0, "y", 0L), row(3L, 3.0, "z", 0L)),
        List.of(row(4L, 4.0, "w", 0L)));
    assertEquals(""
        + "instrumentId  price  NAME                                      ts\n"
        + "------------  -----  ----------------------------------------  --------------------\n"
        + "           1    1.0  " + "x".repeat(39) + "…  1970-01-01T00:00:00Z\n"
        + "           2    2.0  y                                         1970-01-01T00:00:00Z\n"
        + "… 2 more rows\n", text);
  }
}
