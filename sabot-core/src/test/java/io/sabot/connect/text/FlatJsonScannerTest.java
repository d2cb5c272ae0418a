package io.sabot.connect.text;

import static io.sabot.connect.ConnectorTestSupport.closeChecked;
import static io.sabot.testing.TestBatches.rows;
import static io.sabot.testing.TestBatches.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.types.Schema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fast path for flat JSON objects must decode exactly as Jackson does: the same rows, the same
 * reasons, for valid and invalid records alike (it gives up on what it cannot decode the same way,
 * and Jackson decides).
 */
class FlatJsonScannerTest {
  private static final Schema COLUMNS = schema("i:int32", "l:int64", "t:timestamp", "f:float64",
      "b:bool", "s:string", "é:string");

  private RootAllocator allocator;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    closeChecked(allocator);
  }

  /** The reasons (null: decoded) and then the rows, with or without the fast path. */
  private List<Object> decode(boolean fast, List<byte[]> records) throws IOException {
    VectorAppender appender = new VectorAppender(COLUMNS);
    JsonRowDecoder d = new JsonRowDecoder(COLUMNS, appender, fast);
    List<Object> out = new ArrayList<>();
    try (VectorSchemaRoot batch = COLUMNS.newBatch(allocator)) {
      appender.start(batch, records.size());
      for (byte[] r : records) {
        // inside a larger array, as a Kafka record's value may be
        byte[] padded = new byte[r.length + 4];
        padded[0] = '{';
        padded[1] = '"';
        System.arraycopy(r, 0, padded, 2, r.length);
        padded[r.length + 2] = '"';
        padded[r.length + 3] = '}';
        String reason = d.decode(padded, 2, r.length);
        out.add(reason);
        if (reason == null) appender.appendRow();
      }
      appender.finish(batch);
      out.add(rows(batch));
    }
    return out;
  }

  private void assertSameAsJackson(List<String> records) throws IOException {
    List<byte[]> bytes = new ArrayList<>();
    for (String r : records) bytes.add(r.getBytes(StandardCharsets.UTF_8));
    assertSameAsJacksonBytes(bytes);
  }

  private void assertSameAsJacksonBytes(List<byte[]> records) throws IOException {
    List<Object> jackson = decode(false, records);
    List<Object> fast = decode(true, records);
    for (int i = 0; i < records.size(); i++) {
      assertEquals(jackson.get(i), fast.get(i),
          "reason for " + new String(records.get(i), StandardCharsets.UTF_8));
    }
    assertEquals(jackson.get(records.size()), fast.get(records.size()));
  }

  @Test
  void shouldDecodeEdgeCasesAsJacksonDoes() throws IOException {
    assertSameAsJackson(List.of(
        "{}", " { } ", "{\"i\":1}", "{\"i\":-0,\"l\":-0,\"f\":-0}", "{\"f\":-0.0}",
        "{\"i\":2147483647,\"l\":-9223372036854775808}", "{\"i\":2147483648}",
        "{\"i\":-2147483649}", "{\"l\":123456789012345678}", "{\"l\":1234567890123456789}",
        "{\"l\":99999999999999999999}", "{\"l\":1.0}", "{\"l\":1e3}", "{\"l\":01}",
        "{\"f\":1.5e308,\"i\":null}", "{\"f\":1e400}", "{\"f\":-1e-400}", "{\"f\":0.1}",
        "{\"f\":2.2250738585072012e-308}", "{\"f\":123456789012345678901234567890}",
        "{\"f\":1.}", "{\"f\":.5}", "{\"f\":1.e5}", "{\"f\":1e}", "{\"f\":1e+}", "{\"f\":-}",
        "{\"f\":+1}", "{\"f\":NaN}", "{\"f\":\"NaN\"}", "{\"f\":Infinity}", "{\"f\":-Infinity}",
        "{\"f\":\"-Infinity\"}", "{\"f\":\"1.5\"}", "{\"f\":12a}", "{\"f\":1 2}",
        "{\"b\":true,\"s\":\"x\"}", "{\"b\":false}", "{\"b\":1}", "{\"b\":\"true\"}",
        "{\"b\":tru}", "{\"b\":truex}", "{\"b\":null}", "{\"s\":null}", "{\"s\":true}",
        "{\"s\":12.50}", "{\"s\":-0}", "{\"s\":{\"a\":[1,2]}}", "{\"s\":[1, \"x\"]}",
        "{\"s\":\"a\\\"b\"}", "{\"s\":\"a\\u00e9b\"}", "{\"s\":\"tab\there\"}",
        "{\"s\":\"é ü 日本 \uD83D\uDE00\"}", "{\"é\":\"x\"}", "{\"e\\u0301\":\"x\"}",
        "{\"s\":\"a\",\"s\":\"b\"}", "{\"s\":\"a\",\"s\":null}", "{\"s\":\"a\",\"s\":1}",
        "{\"x\":{\"s\":\"nested\"},\"s\":\"top\"}", "{\"x\":[1,2,3]}", "{\"x\":\"\\n\"}",
        "{\"t\":1700000000000}", "{\"t\":\"2024-01-02T03:04:05Z\"}", "{\"t\":1.5}",
        "{\"i\":1,}", "{,\"i\":1}", "{\"i\" 1}", "{\"i\":}", "{\"i\":1", "{\"i\":1}}",
        "{\"i\":1}{\"i\":2}", "{\"i\":1} x", "[1]", "1", "\"s\"", "", "   ", "nul",
        "{\"i\":1}\n", "\t{\"i\"\r\n:\t1 }  ", "{'i':1}", "{i:1}", "{\"i\":1 /* c */}",
        "\uFEFF{\"i\":1}", "{\"s\":\"\u007f\"}", "{\"unknown\":\"value\",\"s\":\"v\"}",
        "{\"unknown\":-12.5e-3,\"other\":true,\"n\":null,\"l\":7}"));
  }

  @Test
  void shouldRejectInvalidUtf8AsJacksonPathDoes() throws IOException {
    List<byte[]> records = new ArrayList<>();
    records.add(new byte[] {'{', '"', 's', '"', ':', '"', (byte) 0xff, '"', '}'});
    records.add(new byte[] {'{', '"', 's', '"', ':', '"', (byte) 0xc3, '"', '}'});
    records.add(new byte[] {'{', '"', 's', '"', ':', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'});
    records.add(new byte[] {'{', '"', 's', '"', ':', '"', (byte) 0xc0, (byte) 0x80, '"', '}'});
    records.add(new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'});
    records.add(new byte[] {'{', '"', 's', '"', ':', '"', 0, '"', '}'});
    records.add(new byte[] {'{', 0, '"', 's', '"', ':', '1', '}'});
    records.add(new byte[] {'{', '"', 's', '"', ':', '"', (byte) 0xc3, (byte) 0xa9, '"', '}'});
    assertSameAsJacksonBytes(records);
  }

  @Test
  void shouldDecodeRandomRecordsAsJacksonDoes() throws IOException {
    String[] keys = {"i", "l", "t", "f", "b", "s", "é", "x", "unknown"};
    String[] values = {"0", "-0", "1", "-17", "2147483648", "123456789012345678",
        "1234567890123456789", "12345678901234567890123", "0.5", "-3.25e10", "1E-7", "6.02e23",
        "1e309", "00", "-", "1.", "true", "false", "null", "tru", "\"\"", "\"text\"",
        "\"a\\\"b\"", "\"ü\"", "\"2024-01-02T03:04:05Z\"", "\"NaN\"", "NaN", "-Infinity",
        "{}", "{\"a\":1}", "[]", "[1,\"x\"]", "\"\\u0041\"", "'x'"};
    String[] gaps = {"", "", "", " ", "\n", "\t", "\r\n", "  "};
    Random random = new Random(42);
    List<String> records = new ArrayList<>();
    for (int n = 0; n < 20_000; n++) {
      StringBuilder sb = new StringBuilder();
      sb.append(gaps[random.nextInt(gaps.length)]).append('{');
      int fields = random.nextInt(6);
      for (int k = 0; k < fields; k++) {
        if (k > 0) sb.append(gaps[random.nextInt(gaps.length)]).append(',');
        sb.append(gaps[random.nextInt(gaps.length)]).append('"')
            .append(keys[random.nextInt(keys.length)]).append('"')
            .append(gaps[random.nextInt(gaps.length)]).append(':')
            .append(gaps[random.nextInt(gaps.length)])
            .append(values[random.nextInt(values.length)]);
      }
      sb.append(gaps[random.nextInt(gaps.length)]).append('}').append(gaps[random.nextInt(gaps.length)]);
      String r = sb.toString();
      int damage = random.nextInt(20);
      if (damage == 0 && r.length() > 1) {
        r = r.substring(0, random.nextInt(r.length())); // cut short
      } else if (damage == 1 && r.length() > 1) {
        int at = random.nextInt(r.length());
        r = r.substring(0, at) + ",:{}\"x1 -.e".charAt(random.nextInt(11)) + r.substring(at);
      }
      records.add(r);
    }
    assertSameAsJackson(records);
    // most of them valid, so both paths were compared on rows, not only on reasons
    long decoded = decode(true, records.stream().map(r -> r.getBytes(StandardCharsets.UTF_8))
        .toList()).stream().limit(records.size()).filter(r -> r == null).count();
    assertTrue(decoded > 2_000, "decoded " + decoded);
  }
}
