package io.sabot.connect;

import static io.sabot.connect.ConnectorTestSupport.closeChecked;
import static io.sabot.testing.TestBatches.batch;
import static io.sabot.testing.TestBatches.row;
import static io.sabot.testing.TestBatches.schema;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sabot.connect.arrow.ArrowIpcSink;
import io.sabot.connect.csv.CsvSink;
import io.sabot.connect.jsonl.JsonlSink;
import io.sabot.types.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A text sink's parallel encoder (run on the workers) gives the same bytes as the sink's own
 * encoding: quoting, nulls, NaN, non-ASCII text, a header only once, and batches in order.
 */
class ParallelEncodingTest {
  private static final Schema SCHEMA = schema("id:int64", "n:int32", "price:float64",
      "name:string", "ok:bool", "ts:timestamp");
  private static final List<List<List<Object>>> BATCHES = List.of(
      List.of(row(1L, 7, 101.5, "plain", true, 1_700_000_000_000L),
          row(-2L, null, 1.0E10, "a, \"quoted\"\nline", false, 0L)),
      List.of(row(null, -8, null, null, null, null)),
      List.of(row(4L, 0, Double.NaN, "", true, -1L), row(5L, 1, 0.1, "é 😀", false, 3L)));

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

  @Test
  void shouldWriteTheSameCsvEncodedOnTheWorkers() throws Exception {
    assertSameBytes(CsvSink::toPath, "csv");
  }

  @Test
  void shouldWriteTheSameJsonLinesEncodedOnTheWorkers() throws Exception {
    assertSameBytes(JsonlSink::toPath, "jsonl");
  }

  @Test
  void shouldLeaveArrowToItsOwnWriter() throws Exception {
    try (Sink sink = ArrowIpcSink.toPath(dir.resolve("x.arrow"))) {
      sink.open(SCHEMA);
      assertNull(sink.parallelEncoder(), "an Arrow stream is one writer's state");
    }
  }

  private void assertSameBytes(Function<Path, Sink> sinkAt, String ext) throws Exception {
    Path inWrite = dir.resolve("write." + ext);
    Path onWorkers = dir.resolve("workers." + ext);
    write(sinkAt.apply(inWrite), false);
    write(sinkAt.apply(onWorkers), true);
    assertArrayEquals(Files.readAllBytes(inWrite), Files.readAllBytes(onWorkers),
        Files.readString(onWorkers));
    // csv: a header, and one quoted field holds a line break
    assertEquals(ext.equals("csv") ? 7 : 5, Files.readAllLines(onWorkers).size());
  }

  private void write(Sink sink, boolean encodeFirst) throws Exception {
    List<Runnable> durable = new ArrayList<>();
    try (sink) {
      sink.open(SCHEMA);
      Sink.BatchEncoder encoder = sink.parallelEncoder();
      for (List<List<Object>> rows : BATCHES) {
        try (VectorSchemaRoot b = batch(allocator, SCHEMA, rows)) {
          if (encodeFirst) {
            sink.writeEncoded(b, encoder.encode(b), null, () -> durable.add(null));
          } else {
            sink.write(b, null, () -> durable.add(null));
          }
        }
      }
      sink.finish();
    }
    assertEquals(BATCHES.size(), durable.size(), "every batch became durable");
  }
}
