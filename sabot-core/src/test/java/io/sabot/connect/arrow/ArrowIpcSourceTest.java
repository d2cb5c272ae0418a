package io.sabot.connect.arrow;

import static io.sabot.connect.ConnectorTestSupport.closeChecked;
import static io.sabot.connect.ConnectorTestSupport.read;
import static io.sabot.connect.ConnectorTestSupport.readAll;
import static io.sabot.testing.TestBatches.row;
import static io.sabot.testing.TestBatches.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sabot.connect.ConnectorTestSupport;
import io.sabot.connect.ConnectorTestSupport.Read;
import io.sabot.error.InvalidJobException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampSecVector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArrowIpcSourceTest {
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

  /** Writes {@code vectors} (closed afterwards) as a stream: one batch of {@code rows}, then an empty batch. */
  private Path writeStream(String name, int rows, FieldVector... vectors) throws Exception {
    Path file = dir.resolve(name);
    try (VectorSchemaRoot root = new VectorSchemaRoot(List.of(vectors));
         OutputStream out = Files.newOutputStream(file);
         ArrowStreamWriter writer = new ArrowStreamWriter(root, null, out)) {
      writer.start();
      root.setRowCount(rows);
      writer.writeBatch();
      root.setRowCount(0);
      writer.writeBatch();
      writer.end();
    }
    return file;
  }

  @Test
  void shouldWidenNarrowAndZonedTypesIntoSabotTypes() throws Exception {
    SmallIntVector small = new SmallIntVector("small", allocator);
    UInt4Vector unsigned = new UInt4Vector("unsigned", allocator);
    Float4Vector single = new Float4Vector("single", allocator);
    LargeVarCharVector large = new LargeVarCharVector("large", allocator);
    TimeStampSecVector seconds = new TimeStampSecVector("seconds", allocator);
    TimeStampMicroTZVector micros = new TimeStampMicroTZVector("micros", allocator, "Europe/Paris");
    DateDayVector day = new DateDayVector("day", allocator);
    small.setSafe(0, -3);
    small.setNull(1);
    unsigned.setSafe(0, (int) 4_000_000_000L);
    unsigned.setSafe(1, 1);
    single.setSafe(0, 1.5f);
    single.setNull(1);
    large.setSafe(0, "grand".getBytes(StandardCharsets.UTF_8));
    large.setNull(1);
    seconds.setSafe(0, 1_700_000_000L);
    seconds.setSafe(1, -1L);
    micros.setSafe(0, 1_700_000_000_123_456L);
    micros.setSafe(1, -1L);
    day.setSafe(0, 19_724);
    day.setNull(1);
    Path file = writeStream("wide.arrow", 2, small, unsigned, single, large, seconds, micros, day);
    ArrowIpcSource s = new ArrowIpcSource("load", List.of(file));
    assertEquals(schema("small:int32", "unsigned:int64", "single:float64", "large:string",
        "seconds:timestamp", "micros:timestamp", "day:timestamp"), s.schema());
    Read r = readAll(s, allocator);
    assertEquals(List.of(2), r.batchSizes());
    List<Object> first = row(-3, 4_000_000_000L, 1.5, "grand", 1_700_000_000_000L, 1_700_000_000_123L, 1_704_153_600_000L);
    List<Object> second = row(null, 1L, null, null, -1000L, -1L, null);
    assertEquals(List.of(first, second), r.rows());
  }

  @Test
  void shouldTransferOnlyTheProjectedColumns() throws Exception {
    IntVector id = new IntVector("id", allocator);
    VarCharVector name = new VarCharVector("name", allocator);
    for (int i = 0; i < 5; i++) {
      id.setSafe(i, i * 10);
      name.setSafe(i, ("n" + i).getBytes(StandardCharsets.UTF_8));
    }
    Path file = writeStream("two.arrow", 5, id, name);
    ArrowIpcSource s = new ArrowIpcSource("load", List.of(file));
    Read r = read(s, schema("name:string"), 2, allocator);
    assertEquals(List.of(5), r.batchSizes());
    assertEquals(List.of(row("n0"), row("n1"), row("n2"), row("n3"), row("n4")), r.rows());
  }

  @Test
  void shouldFailThePlanOnAColumnSabotCannotHold() throws Exception {
    DecimalVector money = new DecimalVector("money", allocator, 10, 2);
    IntVector ok = new IntVector("ok", allocator);
    Path file = writeStream("dec.arrow", 0, money, ok);
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> new ArrowIpcSource("load_quotes", List.of(file)));
    assertEquals(List.of("operator=load_quotes parameter=path file=" + file + " column=money has Arrow"
        + " type Decimal(10, 2, 128), which Sabot cannot read; use int32, int64, float64, utf8, bool or timestamp"),
        e.problems());
  }

  @Test
  void shouldFailThePlanOnAFileThatIsNotAnArrowStream() throws Exception {
    Path file = ConnectorTestSupport.write(dir, "not.arrow", "id,name\n1,x\n");
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> new ArrowIpcSource("load", List.of(file)));
    assertEquals(1, e.problems().size());
    assertEquals(true, e.problems().get(0).startsWith("operator=load parameter=path file=" + file
        + " is not an Arrow IPC stream: "), e.problems().get(0));
  }
}
