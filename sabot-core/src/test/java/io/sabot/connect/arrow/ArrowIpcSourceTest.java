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
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
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
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
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

  /** A stream message by message: the schema, then dictionary batches and record batches. */
  private static final class StreamBuilder implements AutoCloseable {
    private final OutputStream out;
    private final WriteChannel channel;

    StreamBuilder(Path file, Schema schema) throws Exception {
      out = Files.newOutputStream(file);
      channel = new WriteChannel(Channels.newChannel(out));
      MessageSerializer.serialize(channel, schema, IpcOption.DEFAULT);
    }

    /** A dictionary batch (a replacement) with {@code values}, which it closes. */
    StreamBuilder dictionary(long id, FieldVector values) throws Exception {
      try (VectorSchemaRoot root = new VectorSchemaRoot(List.of(values));
           ArrowDictionaryBatch batch = new ArrowDictionaryBatch(id,
               new VectorUnloader(root).getRecordBatch(), false)) {
        MessageSerializer.serialize(channel, batch, IpcOption.DEFAULT);
      }
      return this;
    }

    /** A record batch of {@code columns} (dictionary-encoded ones as their indexes), which it closes. */
    StreamBuilder batch(FieldVector... columns) throws Exception {
      try (VectorSchemaRoot root = new VectorSchemaRoot(List.of(columns));
           ArrowRecordBatch batch = new VectorUnloader(root).getRecordBatch()) {
        MessageSerializer.serialize(channel, batch, IpcOption.DEFAULT);
      }
      return this;
    }

    @Override
    public void close() throws Exception {
      ArrowStreamWriter.writeEndOfStream(channel, IpcOption.DEFAULT);
      out.close();
    }
  }

  private VarCharVector utf8(String name, String... values) {
    VarCharVector v = new VarCharVector(name, allocator);
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) v.setNull(i);
      else v.setSafe(i, values[i].getBytes(StandardCharsets.UTF_8));
    }
    v.setValueCount(values.length);
    return v;
  }

  private static Field encoded(String name, ArrowType valueType, long id, ArrowType.Int indexType) {
    return new Field(name, new FieldType(true, valueType, new DictionaryEncoding(id, false, indexType)), null);
  }

  /** The in-memory form of an encoded field: the index type, with the encoding. */
  private static Field indexes(Field encoded) {
    DictionaryEncoding e = encoded.getDictionary();
    return new Field(encoded.getName(), new FieldType(true, e.getIndexType(), e), null);
  }

  @Test
  void shouldDecodeDictionaryStringsWithTheDictionaryCurrentAtEachBatch() throws Exception {
    // pyarrow's categoricals: int8 indexes; a large_utf8 dictionary with uint16 indexes beside it
    Field sector = encoded("sector", ArrowType.Utf8.INSTANCE, 3, new ArrowType.Int(8, true));
    Field venue = encoded("venue", ArrowType.LargeUtf8.INSTANCE, 4, new ArrowType.Int(16, false));
    Field id = new Field("id", FieldType.nullable(new ArrowType.Int(32, true)), null);
    Path file = dir.resolve("dict.arrow");
    try (StreamBuilder stream = new StreamBuilder(file, new Schema(List.of(id, sector, venue)))) {
      LargeVarCharVector venues = new LargeVarCharVector("venues", allocator);
      venues.setSafe(0, "XNYS".getBytes(StandardCharsets.UTF_8));
      venues.setSafe(1, "XLON".getBytes(StandardCharsets.UTF_8));
      venues.setValueCount(2);
      stream.dictionary(3, utf8("sectors", "tech", null, "bank")).dictionary(4, venues);
      stream.batch(ints(id, 1, 2, 3, 4), tinyInts(indexes(sector), 2, null, 0, 1),
          uint2s(indexes(venue), 1, 0, null, 1));
      stream.dictionary(3, utf8("sectors", "energy", "health")); // replaces, mid-stream
      stream.batch(ints(id, 5, 6), tinyInts(indexes(sector), 1, 0), uint2s(indexes(venue), 0, 0));
    }
    ArrowIpcSource s = new ArrowIpcSource("load", List.of(file));
    assertEquals(schema("id:int32", "sector:string", "venue:string"), s.schema());
    Read r = readAll(s, allocator);
    assertEquals(List.of(4, 2), r.batchSizes());
    assertEquals(List.of(row(1, "bank", "XLON"), row(2, null, "XNYS"), row(3, "tech", null),
        row(4, null, "XLON"), row(5, "health", "XNYS"), row(6, "energy", "XNYS")), r.rows());
    assertEquals(List.of(row("health"), row("energy")),
        read(s, schema("sector:string"), 1024, allocator).rows().subList(4, 6));
  }

  @Test
  void shouldFailTheReadOnAnIndexOutsideItsDictionary() throws Exception {
    Field sector = encoded("sector", ArrowType.Utf8.INSTANCE, 0, new ArrowType.Int(32, true));
    Path file = dir.resolve("short.arrow");
    try (StreamBuilder stream = new StreamBuilder(file, new Schema(List.of(sector)))) {
      stream.dictionary(0, utf8("d", "a", "b")).batch(ints(indexes(sector), 1, 2));
    }
    IOException e = assertThrows(IOException.class,
        () -> readAll(new ArrowIpcSource("load", List.of(file)), allocator));
    assertEquals("file=" + file + " column=sector row=1 holds index 2 but its dictionary id=0 has 2 "
        + "values; the stream must send the dictionary before the batches that use it", e.getMessage());
  }

  @Test
  void shouldFailThePlanOnADictionaryOfOtherValuesThanStrings() throws Exception {
    Field code = encoded("code", new ArrowType.Int(64, true), 0, new ArrowType.Int(32, true));
    Path file = dir.resolve("codes.arrow");
    try (StreamBuilder stream = new StreamBuilder(file, new Schema(List.of(code)))) {
      // no batches: the plan reads only the schema
    }
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> new ArrowIpcSource("load_quotes", List.of(file)));
    assertEquals(List.of("operator=load_quotes parameter=path file=" + file + " column=code is "
        + "dictionary-encoded with values of Arrow type Int(64, true), which Sabot cannot read; a "
        + "dictionary-encoded column needs utf8 or large_utf8 values (write the others plain)"),
        e.problems());
  }

  private IntVector ints(Field field, Integer... values) {
    IntVector v = new IntVector(field, allocator);
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) v.setNull(i);
      else v.setSafe(i, values[i]);
    }
    v.setValueCount(values.length);
    return v;
  }

  private TinyIntVector tinyInts(Field field, Integer... values) {
    TinyIntVector v = new TinyIntVector(field, allocator);
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) v.setNull(i);
      else v.setSafe(i, values[i]);
    }
    v.setValueCount(values.length);
    return v;
  }

  private UInt2Vector uint2s(Field field, Integer... values) {
    UInt2Vector v = new UInt2Vector(field, allocator);
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) v.setNull(i);
      else v.setSafe(i, values[i]);
    }
    v.setValueCount(values.length);
    return v;
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
