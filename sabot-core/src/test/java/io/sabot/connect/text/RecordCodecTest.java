package io.sabot.connect.text;

import static io.sabot.testing.TestBatches.batch;
import static io.sabot.connect.ConnectorTestSupport.closeChecked;
import static io.sabot.testing.TestBatches.row;
import static io.sabot.testing.TestBatches.rows;
import static io.sabot.testing.TestBatches.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.connect.arrow.ArrowRecords;
import io.sabot.types.Schema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
  private RootAllocator allocator;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    closeChecked(allocator);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Decodes each record; returns the rows and, in {@code reasons}, null or why. */
  private List<List<Object>> decode(RecordDecoder d, Schema columns, List<String> reasons, String... records)
      throws IOException {
    try (VectorSchemaRoot b = columns.newBatch(allocator)) {
      d.start(b, 16);
      for (String r : records) {
        byte[] bytes = utf8("xx" + r + "yy");
        reasons.add(d.decode(bytes, 2, bytes.length - 4));
      }
      d.finish(b);
      return rows(b);
    }
  }

  @Test
  void shouldDecodeJsonRecordsFromTheMiddleOfAnArray() throws IOException {
    Schema columns = schema("id:int64", "name:string");
    List<String> reasons = new ArrayList<>();
    List<List<Object>> rows = decode(RecordDecoder.jsonl(columns), columns, reasons,
        "{\"id\":1,\"name\":\"é\",\"skip\":[1,2]}", "{\"id\":2,\"name\":{\"a\":[1]}}", "{\"id\":\"x\"}", "not json");
    assertEquals(List.of(row(1L, "é"), row(2L, "{\"a\":[1]}")), rows);
    assertNull(reasons.get(0));
    assertNull(reasons.get(1));
    assertEquals("column=id value='x' is not an int64", reasons.get(2));
    assertTrue(reasons.get(3).startsWith("invalid JSON"), reasons.get(3));
  }

  @Test
  void shouldDecodeCsvRecordsWithQuotesAndOnlyTheProjectedFields() throws IOException {
    Schema fields = schema("id:int64", "name:string", "price:float64");
    Schema columns = schema("id:int64", "price:float64");
    List<String> reasons = new ArrayList<>();
    List<List<Object>> rows = decode(RecordDecoder.csv(columns, fields), columns, reasons,
        "1,\"a, \"\"b\"\"\",2.5", "2,,\n", "3,x", "4,\"open,1", "5,y,abc");
    assertEquals(List.of(row(1L, 2.5), row(2L, null)), rows);
    assertEquals("record has 2 fields, the schema has 3", reasons.get(2));
    assertEquals("record has a quoted field without its closing quote", reasons.get(3));
    assertEquals("column=price value='abc' is not a float64", reasons.get(4));
  }

  @Test
  void shouldRejectInvalidUtf8InCsvAndJsonRecordsWithItsOffsetInTheRecord() throws IOException {
    Schema columns = schema("id:int64", "name:string");
    byte[] csv = {'x', '1', ',', 'a', (byte) 0xFF, 'b'};
    byte[] json = {'x', '{', '"', 'i', 'd', '"', ':', '1', ',', '"', 'o', '"', ':', '"', (byte) 0xC3, '"', '}'};
    RecordDecoder c = RecordDecoder.csv(columns, columns);
    RecordDecoder j = RecordDecoder.jsonl(columns);
    try (VectorSchemaRoot b = columns.newBatch(allocator)) {
      c.start(b, 4);
      assertEquals("invalid UTF-8 at byte 3 of the record: 0xff", c.decode(csv, 1, csv.length - 1));
      assertNull(c.decode(utf8("2,é"), 0, 4));
      c.finish(b);
      assertEquals(List.of(row(2L, "é")), rows(b));
    }
    try (VectorSchemaRoot b = columns.newBatch(allocator)) {
      j.start(b, 4);
      assertEquals("invalid UTF-8 at byte 13 of the record: 0xc3", j.decode(json, 1, json.length - 1));
      j.finish(b);
      assertEquals(List.of(), rows(b));
    }
  }

  @Test
  void shouldEncodeOneRecordPerRowThatDecodesBack() throws IOException {
    Schema s = schema("id:int64", "name:string", "price:float64");
    try (VectorSchemaRoot b = batch(allocator, s, List.of(row(1L, "a,\"b\"", 2.5), row(2L, null, null)))) {
      RecordEncoder json = RecordEncoder.jsonl(s);
      json.encode(b);
      assertEquals("{\"id\":1,\"name\":\"a,\\\"b\\\"\",\"price\":2.5}", new String(json.value(0), StandardCharsets.UTF_8));
      assertEquals("{\"id\":2,\"name\":null,\"price\":null}", new String(json.value(1), StandardCharsets.UTF_8));
      RecordEncoder csv = RecordEncoder.csv(s);
      csv.encode(b);
      assertEquals(2, csv.rows());
      assertEquals("1,\"a,\"\"b\"\"\",2.5", new String(csv.value(0), StandardCharsets.UTF_8));
      assertEquals("2,,", new String(csv.value(1), StandardCharsets.UTF_8));
      assertEquals("1", new String(RecordEncoder.keyText(b.getVector(0), s.field(0).type(), 0), StandardCharsets.UTF_8));
      assertNull(RecordEncoder.keyText(b.getVector(1), s.field(1).type(), 1));
    }
  }

  @Test
  void shouldCarryABatchAsOneArrowRecordAndDecodeOnlyTheProjectedColumns() throws IOException {
    Schema s = schema("id:int64", "name:string", "price:float64");
    byte[] record;
    try (VectorSchemaRoot b = batch(allocator, s, List.of(row(1L, "a", 2.5), row(2L, null, 3.0)))) {
      record = ArrowRecords.encode(b, s);
    }
    assertEquals(s, ArrowRecords.schema(record));
    List<VectorSchemaRoot> decoded = ArrowRecords.decode(record, 0, record.length, schema("id:int64", "price:float64"), allocator);
    try {
      assertEquals(1, decoded.size());
      assertEquals(List.of(row(1L, 2.5), row(2L, 3.0)), rows(decoded.get(0)));
    } finally {
      decoded.forEach(VectorSchemaRoot::close);
    }
    IOException wrongType = assertThrows(IOException.class,
        () -> ArrowRecords.decode(record, 0, record.length, schema("id:string"), allocator));
    assertTrue(wrongType.getMessage().contains("column=id"), wrongType.getMessage());
    assertThrows(IOException.class, () -> ArrowRecords.decode(utf8("{\"id\":1}"), 0, 8, s, allocator));
  }

  @Test
  void shouldFailAnArrowRecordThatTheJobsMemoryCannotHoldInsteadOfRejectingIt() throws IOException {
    Schema s = schema("id:int64");
    List<List<Object>> many = new ArrayList<>();
    for (long i = 0; i < 10_000; i++) many.add(row(i));
    byte[] record;
    try (VectorSchemaRoot b = batch(allocator, s, many)) {
      record = ArrowRecords.encode(b, s);
    }
    // a rejected record goes to the dead letters and is committed past: a good one must not
    try (RootAllocator small = new RootAllocator(16 * 1024)) {
      assertThrows(OutOfMemoryException.class,
          () -> ArrowRecords.decode(record, 0, record.length, s, small));
    }
  }

  @Test
  void shouldDecodeADictionaryEncodedStringColumnOfAnArrowRecord() throws Exception {
    DictionaryEncoding encoding = new DictionaryEncoding(1, false, new ArrowType.Int(16, true));
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (VarCharVector values = new VarCharVector("values", allocator);
         SmallIntVector codes = new SmallIntVector(new Field("sector",
             new FieldType(true, encoding.getIndexType(), encoding), null), allocator);
         VectorSchemaRoot root = new VectorSchemaRoot(List.of(codes))) {
      values.setSafe(0, utf8("tech"));
      values.setSafe(1, utf8("bank"));
      values.setValueCount(2);
      codes.setSafe(0, 1);
      codes.setNull(1);
      codes.setSafe(2, 0);
      root.setRowCount(3);
      DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider();
      provider.put(new Dictionary(values, encoding));
      try (ArrowStreamWriter writer = new ArrowStreamWriter(root, provider, bytes)) {
        writer.start();
        writer.writeBatch();
        writer.end();
      }
    }
    byte[] record = bytes.toByteArray();
    assertEquals(schema("sector:string"), ArrowRecords.schema(record));
    List<VectorSchemaRoot> decoded = ArrowRecords.decode(record, 0, record.length,
        schema("sector:string"), allocator);
    try {
      assertEquals(List.of(row("bank"), row((Object) null), row("tech")), rows(decoded.get(0)));
    } finally {
      decoded.forEach(VectorSchemaRoot::close);
    }
  }
}
