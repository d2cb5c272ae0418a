package io.sabot.connect.csv;

import static io.sabot.testing.TestBatches.batch;
import static io.sabot.connect.ConnectorTestSupport.closeChecked;
import static io.sabot.connect.ConnectorTestSupport.read;
import static io.sabot.connect.ConnectorTestSupport.readAll;
import static io.sabot.testing.TestBatches.row;
import static io.sabot.testing.TestBatches.schema;
import static io.sabot.connect.ConnectorTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sabot.connect.ConnectorTestSupport.Read;
import io.sabot.connect.ConnectorTestSupport.Reject;
import io.sabot.connect.SourcePartition;
import io.sabot.connect.text.RejectReasons;
import io.sabot.error.InvalidJobException;
import io.sabot.types.ColumnType;
import io.sabot.types.Schema;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad CSV input (issue 8): each bad record is one reject with its line and reason; reading goes on. */
class CsvBadInputTest {
  private static final Map<String, ColumnType> ID_NAME = types("id", "int64", "name", "string");

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

  private static Map<String, ColumnType> types(String... nameType) {
    Map<String, ColumnType> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < nameType.length; i += 2) m.put(nameType[i], ColumnType.parse(nameType[i + 1]));
    return m;
  }

  private CsvSource source(String text, Map<String, ColumnType> declared) throws Exception {
    return new CsvSource("load", List.of(write(dir, "in.csv", text)), declared);
  }

  private Path writeBytes(String name, byte[]... parts) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.write(p);
    Path p = dir.resolve(name);
    Files.write(p, out.toByteArray());
    return p;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) b[i] = (byte) values[i];
    return b;
  }

  // item 6

  @Test
  void shouldRejectOnlyTheLineOfAQuoteStillOpenAtTheEndOfTheFile() throws Exception {
    Read r = readAll(source("id,name\n1,a\n2,\"b\n3,c\n4,d\n", ID_NAME), allocator);
    assertEquals(List.of(row(1L, "a"), row(3L, "c"), row(4L, "d")), r.rows());
    assertEquals(List.of(new Reject("in.csv", 3, "2,\"b",
        "quoted field 2 has no closing quote (still open at the end of the file)")), r.rejects());
  }

  @Test
  void shouldRejectAnOpenQuoteOnTheLastLineWithoutATerminator() throws Exception {
    Read r = readAll(source("id,name\r\n1,a\r\n2,\"b", ID_NAME), allocator);
    assertEquals(List.of(row(1L, "a")), r.rows());
    assertEquals(List.of(new Reject("in.csv", 3, "2,\"b",
        "quoted field 2 has no closing quote (still open at the end of the file)")), r.rejects());
  }

  @Test
  void shouldRejectARecordMergedAcrossLinesWhoseFieldCountIsWrongWhole() throws Exception {
    // the quote opened on line 2 closes on line 3: one record of 3 fields, rejected, not a row
    Read r = readAll(source("id,name\n1,\"a\n2,b\"x,y\n3,c\n", ID_NAME), allocator);
    assertEquals(List.of(row(3L, "c")), r.rows());
    assertEquals(List.of(new Reject("in.csv", 2, "1,\"a\n2,bx\",y", "record has 3 fields, header has 2"
        + " (it runs from line 2 to line 3: a quoted field may lack its closing quote)")), r.rejects());
  }

  @Test
  void shouldKeepCountingLinesAcrossCrLfAndQuotedLineBreaks() throws Exception {
    Read r = readAll(source("id,name\r\n1,\"x\r\ny\"\r\nz,a\r\n3,\"q\"\r\n", ID_NAME), allocator);
    assertEquals(List.of(row(1L, "x\r\ny"), row(3L, "q")), r.rows());
    assertEquals(List.of(new Reject("in.csv", 4, "z,a", "column=id value='z' is not an int64")),
        r.rejects());
  }

  // item 7

  @Test
  void shouldRejectInvalidUtf8WithItsByteOffsetAndKeepTheGoodRows() throws Exception {
    Path f = writeBytes("in.csv", ascii("id,name\n1,a\n2,b"), bytes(0xFF), ascii("\n3,é\n4,"),
        bytes(0xC0, 0xAF), ascii("\n5,"), bytes(0xED, 0xA0, 0x80), ascii("\n6,ok\n"));
    Read r = readAll(new CsvSource("load", List.of(f), ID_NAME), allocator);
    assertEquals(List.of(row(1L, "a"), row(3L, "é"), row(6L, "ok")), r.rows());
    assertEquals(List.of(
        new Reject("in.csv", 3, "2,b\uFFFD", "invalid UTF-8 at byte 15 of the file: 0xff"),
        new Reject("in.csv", 5, "4,\uFFFD\uFFFD", "invalid UTF-8 at byte 24 of the file: 0xc0"),
        new Reject("in.csv", 6, "5,\uFFFD", "invalid UTF-8 at byte 29 of the file: 0xed")),
        r.rejects());
  }

  @Test
  void shouldRejectInvalidUtf8EvenInAColumnOutsideTheProjection() throws Exception {
    Path f = writeBytes("in.csv", ascii("id,name\n1,"), bytes(0xFE), ascii("\n2,b\n"));
    CsvSource s = new CsvSource("load", List.of(f), ID_NAME);
    Read r = read(s, schema("id:int64"), 10, allocator);
    assertEquals(List.of(row(2L)), r.rows());
    assertEquals(List.of(new Reject("in.csv", 2, "1,\uFFFD", "invalid UTF-8 at byte 10 of the file: 0xfe")),
        r.rejects());
  }

  @Test
  void shouldDecodeCharsThatStraddleTheReadBuffer() throws Exception {
    StringBuilder sb = new StringBuilder("name\n");
    List<List<Object>> expected = new ArrayList<>();
    for (int i = 0; i < 30_000; i++) {
      String v = i % 3 == 0 ? "😀é" + i : "x" + i;
      sb.append(v).append('\n');
      expected.add(row(v));
    }
    Read r = readAll(source(sb.toString(), types("name", "string")), allocator);
    assertEquals(expected, r.rows());
    assertEquals(List.of(), r.rejects());
  }

  // item 8

  @Test
  void shouldRejectARecordOverMaxRecordBytesAndGoOn() throws Exception {
    String big = "x".repeat(200);
    Path f = write(dir, "in.csv", "id,name\n1,a\n2," + big + "\n3,\"" + big + "\n" + big + "\"\n4,d\n");
    CsvSource s = new CsvSource("load", List.of(f), ID_NAME, 100);
    Read r = readAll(s, allocator);
    assertEquals(List.of(row(1L, "a"), row(4L, "d")), r.rows());
    assertEquals(List.of(
        new Reject("in.csv", 3, "2," + big, "record is 202 bytes, more than max_record_bytes=100"),
        new Reject("in.csv", 4, "3,\"" + big + "\n" + big + "\"", "record is 405 bytes, more than max_record_bytes=100")),
        r.rejects());
  }

  @Test
  void shouldRejectATwentyMegabyteFieldWithTheDefaultLimitAndKeepOnlyItsHead() throws Exception {
    byte[] field = new byte[20 << 20];
    Arrays.fill(field, (byte) 'z');
    Path f = writeBytes("in.csv", ascii("id,name\n1,a\n2,\""), field, ascii("\"\n3,c\n"));
    Read r = readAll(new CsvSource("load", List.of(f), ID_NAME), allocator);
    assertEquals(List.of(row(1L, "a"), row(3L, "c")), r.rows());
    assertEquals(1, r.rejects().size());
    Reject reject = r.rejects().get(0);
    assertEquals(3, reject.position());
    assertEquals("record is " + (field.length + 4) + " bytes, more than max_record_bytes=8388608", reject.reason());
    assertEquals("2,\"" + "z".repeat(RejectReasons.RAW_LIMIT - 3) + "…", reject.raw());
  }

  @Test
  void shouldNameTheOpenQuoteOfARecordAlreadyOverTheLimit() throws Exception {
    String big = "y".repeat(150);
    Path f = write(dir, "in.csv", "id,name,note\n1," + big + ",\"open\n2,b,c\n");
    Read r = readAll(new CsvSource("load", List.of(f), Map.of(), 100), allocator);
    assertEquals(List.of(row(2L, "b", "c")), r.rows());
    assertEquals(List.of(new Reject("in.csv", 2, "1," + big + ",\"open",
        "quoted field 3 has no closing quote (still open at the end of the file)")), r.rejects());
  }

  @Test
  void shouldFailThePlanOnAMaxRecordBytesBelowOne() throws Exception {
    Path f = write(dir, "in.csv", "id\n1\n");
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> new CsvSource("load", List.of(f), Map.of(), 0));
    assertEquals(List.of("operator=load parameter=max_record_bytes value=0 must be at least 1"), e.problems());
  }

  // item 9

  @Test
  void shouldReadAnEmptyLineOfAOneColumnFileAsANullRow() throws Exception {
    Read r = readAll(source("k\n1\n\n3\n\n", types("k", "int64")), allocator);
    assertEquals(List.of(row(1L), row((Object) null), row(3L), row((Object) null)), r.rows());
    assertEquals(List.of(), r.rejects());
  }

  @Test
  void shouldSkipEmptyLinesOfAFileWithSeveralColumns() throws Exception {
    Read r = readAll(source("\nid,name\n1,a\n\n\r\n2,b\n\n", ID_NAME), allocator);
    assertEquals(List.of(row(1L, "a"), row(2L, "b")), r.rows());
    assertEquals(List.of(), r.rejects());
  }

  @Test
  void shouldReadBackWhatTheCsvSinkWroteForAOneColumnTableWithNulls() throws Exception {
    for (String type : List.of("int64", "string")) {
      Schema one = schema("k:" + type);
      Object a = type.equals("int64") ? (Object) 1L : "a";
      Object b = type.equals("int64") ? (Object) 2L : "";
      List<List<Object>> rows = List.of(row((Object) null), row(a), row((Object) null), row(b), row((Object) null));
      Path out = dir.resolve("one-" + type + ".csv");
      try (CsvSink sink = CsvSink.toPath(out);
           VectorSchemaRoot batch = batch(allocator, one, rows)) {
        sink.open(one);
        sink.write(batch);
        sink.finish();
      }
      Read r = readAll(new CsvSource("load", List.of(out), Map.of("k", ColumnType.parse(type))), allocator);
      assertEquals(rows, r.rows(), type + ": " + Files.readString(out));
      assertEquals(List.of(), r.rejects());
    }
  }

  // item 10

  @Test
  void shouldInferAStringColumnWhenAWholeNumberIsBeyondInt64() throws Exception {
    CsvSource s = source("n,m,small\n5,1,-9223372036854775808\n99999999999999999999,2,7\n-0,3,8\n",
        Map.of());
    assertEquals(schema("n:string", "m:int64", "small:int64"), s.schema());
    assertEquals(List.of(row("5", 1L, Long.MIN_VALUE), row("99999999999999999999", 2L, 7L),
        row("-0", 3L, 8L)), readAll(s, allocator).rows());
  }

  @Test
  void shouldLeaveOutAnEmptyFileAmongSeveral() throws Exception {
    Path a = write(dir, "a.csv", "id,name\n1,a\n");
    Path b = write(dir, "b.csv", "");
    Path c = write(dir, "c.csv", "id,name\n3,c\n");
    CsvSource s = new CsvSource("load", List.of(a, b, c), Map.of());
    assertEquals(schema("id:int64", "name:string"), s.schema());
    assertEquals(List.of("a.csv", "c.csv"), s.partitions().stream().map(SourcePartition::description).toList());
    assertEquals(List.of(row(1L, "a"), row(3L, "c")), readAll(s, allocator).rows());
  }

  @Test
  void shouldFailThePlanWhenEveryFileIsEmpty() throws Exception {
    Path a = write(dir, "a.csv", "");
    Path b = write(dir, "b.csv", "\n");
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> new CsvSource("load", List.of(a, b), Map.of()));
    assertEquals(List.of("operator=load parameter=path every one of the 2 files is empty; a CSV source"
        + " needs a header row"), e.problems());
  }

  @Test
  void shouldFailThePlanOnAHeaderWithInvalidUtf8() throws Exception {
    Path f = writeBytes("in.csv", ascii("id,na"), bytes(0xFF), ascii("me\n1,a\n"));
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> new CsvSource("load", List.of(f), Map.of()));
    assertEquals(List.of("operator=load parameter=path cannot be read: file=" + f + " header on line 1"
        + " cannot be read: invalid UTF-8 at byte 5 of the file: 0xff"), e.problems());
  }
}
