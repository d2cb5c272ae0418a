package io.sabot.connect.jsonl;

import static io.sabot.connect.ConnectorTestSupport.closeChecked;
import static io.sabot.connect.ConnectorTestSupport.readAll;
import static io.sabot.testing.TestBatches.row;
import static io.sabot.testing.TestBatches.schema;
import static io.sabot.connect.ConnectorTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.connect.ConnectorTestSupport.Read;
import io.sabot.connect.ConnectorTestSupport.Reject;
import io.sabot.connect.text.RejectReasons;
import io.sabot.types.ColumnType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad JSONL input (issue 8): each bad line is one reject with its line and reason; reading goes on. */
class JsonlBadInputTest {
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

  private static Map<String, ColumnType> idName() {
    Map<String, ColumnType> m = new LinkedHashMap<>();
    m.put("id", ColumnType.INT64);
    m.put("name", ColumnType.STRING);
    return m;
  }

  private Path writeBytes(String name, byte[]... parts) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.write(p);
    Path p = dir.resolve(name);
    Files.write(p, out.toByteArray());
    return p;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldRejectALineWithInvalidUtf8AndKeepTheGoodRows() throws Exception {
    Path f = writeBytes("in.jsonl", utf8("{\"id\": 1, \"name\": \"a\"}\n{\"id\": 2, \"name\": \"b"),
        new byte[] {(byte) 0xFF}, utf8("\"}\n{\"id\": 3, \"skip\": \""), new byte[] {(byte) 0xC3},
        utf8("\", \"name\": \"c\"}\r\n{\"id\": 4, \"name\": \"é\"}\n"));
    Read r = readAll(new JsonlSource("load", List.of(f), idName()), allocator);
    assertEquals(List.of(row(1L, "a"), row(4L, "é")), r.rows());
    assertEquals(List.of(
        new Reject("in.jsonl", 2, "{\"id\": 2, \"name\": \"b\uFFFD\"}", "invalid UTF-8 at byte 43 of the file: 0xff"),
        new Reject("in.jsonl", 3, "{\"id\": 3, \"skip\": \"\uFFFD\", \"name\": \"c\"}",
            "invalid UTF-8 at byte 66 of the file: 0xc3")), r.rejects());
  }

  @Test
  void shouldInferFromTheValidLinesWhenALineHasInvalidUtf8() throws Exception {
    Path f = writeBytes("in.jsonl", utf8("{\"id\": \""), new byte[] {(byte) 0xFF}, utf8("\"}\n{\"id\": 2}\n"));
    JsonlSource s = new JsonlSource("load", List.of(f), Map.of());
    assertEquals(schema("id:int64"), s.schema());
    Read r = readAll(s, allocator);
    assertEquals(List.of(row(2L)), r.rows());
    assertEquals(List.of(new Reject("in.jsonl", 1, "{\"id\": \"\uFFFD\"}", "invalid UTF-8 at byte 8 of the file: 0xff")),
        r.rejects());
  }

  @Test
  void shouldRejectALineOverMaxRecordBytesAndGoOn() throws Exception {
    String big = "{\"id\": 2, \"name\": \"" + "x".repeat(200) + "\"}";
    Path f = write(dir, "in.jsonl", "{\"id\": 1, \"name\": \"a\"}\n" + big + "\n{\"id\": 3, \"name\": \"c\"}\n");
    Read r = readAll(new JsonlSource("load", List.of(f), idName(), 100), allocator);
    assertEquals(List.of(row(1L, "a"), row(3L, "c")), r.rows());
    assertEquals(List.of(new Reject("in.jsonl", 2, big + "…", "line is 221 bytes, more than max_record_bytes=100")),
        r.rejects());
  }

  @Test
  void shouldRejectATwentyMegabyteLineWithTheDefaultLimitAndKeepOnlyItsHead() throws Exception {
    byte[] value = new byte[20 << 20];
    Arrays.fill(value, (byte) 'z');
    Path f = writeBytes("in.jsonl", utf8("{\"id\": 1}\n{\"id\": 2, \"name\": \""), value,
        utf8("\"}\n{\"id\": 3, \"name\": \"c\"}"));
    Read r = readAll(new JsonlSource("load", List.of(f), idName()), allocator);
    assertEquals(List.of(row(1L, null), row(3L, "c")), r.rows());
    assertEquals(1, r.rejects().size());
    Reject reject = r.rejects().get(0);
    assertEquals(2, reject.position());
    assertEquals("line is " + (value.length + 21) + " bytes, more than max_record_bytes=8388608", reject.reason());
    assertEquals("{\"id\": 2, \"name\": \"" + "z".repeat(RejectReasons.RAW_LIMIT - 19) + "…", reject.raw(),
        "the dead letter keeps the line's first " + RejectReasons.RAW_LIMIT + " bytes");
  }

  @Test
  void shouldInferAStringColumnWhenAnIntegerIsBeyondInt64() throws Exception {
    JsonlSource s = new JsonlSource("load", List.of(write(dir, "in.jsonl",
        "{\"n\": 5, \"m\": 1}\n{\"n\": 99999999999999999999, \"m\": 2}\n")), Map.of());
    assertEquals(schema("n:string", "m:int64"), s.schema());
    assertEquals(List.of(row("5", 1L), row("99999999999999999999", 2L)), readAll(s, allocator).rows());
  }

  @Test
  void shouldReadTheOtherFilesWhenOneIsEmpty() throws Exception {
    Path a = write(dir, "a.jsonl", "{\"id\": 1}\n");
    Path b = write(dir, "b.jsonl", "");
    Path c = write(dir, "c.jsonl", "\uFEFF{\"id\": 3}");
    JsonlSource s = new JsonlSource("load", List.of(a, b, c), Map.of());
    assertEquals(schema("id:int64"), s.schema());
    Read r = readAll(s, allocator);
    assertEquals(List.of(row(1L), row(3L)), r.rows());
    assertEquals(List.of(), r.rejects());
  }
}
