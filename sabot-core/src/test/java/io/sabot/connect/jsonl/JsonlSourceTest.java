package io.sabot.connect.jsonl;

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
import io.sabot.error.InvalidJobException;
import io.sabot.types.ColumnType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlSourceTest {
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

  private JsonlSource source(String text, String... declared) throws Exception {
    Map<String, ColumnType> types = new LinkedHashMap<>();
    for (String s : declared) types.put(s.split(":")[0], ColumnType.parse(s.split(":")[1]));
    return new JsonlSource("load", List.of(write(dir, "in.jsonl", text)), types);
  }

  @Test
  void shouldReadDeclaredColumnsExactly() throws Exception {
    JsonlSource s = source("{\"id\": 1, \"price\": 10.5, \"name\": \"a\", \"ok\": true, \"ts\": 1700000000000, \"n\": 3}\n"
        + "{\"ts\": \"2024-01-02T03:04:05.123\", \"id\": -2, \"price\": 7, \"name\": \"b \\\"q\\\" é\", \"ok\": false, \"n\": -4}\n",
        "id:int64", "price:float64", "name:string", "ok:bool", "ts:timestamp", "n:int32");
    Read r = readAll(s, allocator);
    assertEquals(List.of(row(1L, 10.5, "a", true, 1_700_000_000_000L, 3),
        row(-2L, 7.0, "b \"q\" é", false, 1_704_164_645_123L, -4)), r.rows());
    assertEquals(List.of(), r.rejects());
  }

  @Test
  void shouldReadMissingKeysAndJsonNullAsNull() throws Exception {
    JsonlSource s = source("{\"a\": null, \"b\": 1}\n{}\n", "a:string", "b:int64");
    assertEquals(List.of(row(null, 1L), row(null, null)), readAll(s, allocator).rows());
  }

  @Test
  void shouldGiveTheTextOfNumbersBoolsAndNestedValuesInAStringColumn() throws Exception {
    JsonlSource s = source("{\"s\": 12.50}\n{\"s\": true}\n{\"s\": {\"k\": [1, 2]}}\n{\"s\": [\"x\"]}\n",
        "s:string");
    assertEquals(List.of(row("12.50"), row("true"), row("{\"k\": [1, 2]}"), row("[\"x\"]")),
        readAll(s, allocator).rows());
  }

  @Test
  void shouldSkipBlankLinesAndKeysOutsideTheProjection() throws Exception {
    JsonlSource s = source("\n{\"id\": 1, \"junk\": {\"deep\": [1, {\"x\": \"y\"}]}, \"bad\": \"zz\"}\n   \n{\"id\": 2, \"bad\": 3}\n",
        "id:int64", "bad:int64");
    Read r = read(s, schema("id:int64"), 10, allocator);
    assertEquals(List.of(row(1L), row(2L)), r.rows());
    assertEquals(List.of(), r.rejects());
  }

  @Test
  void shouldRejectInvalidJsonNonObjectsAndWrongTypesWithTheLineNumber() throws Exception {
    JsonlSource s = source("{\"id\": 1, \"p\": 1.5}\n"
        + "{\"id\": 2, \"p\": \"abc\"}\n"
        + "\n"
        + "{\"id\": 3, \"p\": \n"
        + "[1, 2]\n"
        + "{\"id\": 4.5, \"p\": 1}\n"
        + "{\"id\": 5, \"p\": {\"a\": 1}}\n"
        + "{\"id\": 6, \"p\": 2} {\"id\": 7}\n"
        + "{\"id\": 99999999999999999999, \"p\": 1}\n"
        + "{\"id\": 8, \"p\": \"NaN\"}\n", "id:int64", "p:float64");
    Read r = readAll(s, allocator);
    assertEquals(List.of(row(1L, 1.5), row(8L, Double.NaN)), r.rows());
    assertEquals(List.of(
        new Reject("in.jsonl", 2, "{\"id\": 2, \"p\": \"abc\"}", "column=p value='abc' is not a float64"),
        new Reject("in.jsonl", 4, "{\"id\": 3, \"p\": ", "invalid JSON at column 16: "
            + "Unexpected end-of-input within/between Object entries"),
        new Reject("in.jsonl", 5, "[1, 2]", "line is not a JSON object"),
        new Reject("in.jsonl", 6, "{\"id\": 4.5, \"p\": 1}", "column=id value='4.5' is not an int64"),
        new Reject("in.jsonl", 7, "{\"id\": 5, \"p\": {\"a\": 1}}", "column=p value='{\"a\": 1}' is not a float64"),
        new Reject("in.jsonl", 8, "{\"id\": 6, \"p\": 2} {\"id\": 7}", "line has more than one JSON value"),
        new Reject("in.jsonl", 9, "{\"id\": 99999999999999999999, \"p\": 1}",
            "column=id value='99999999999999999999' is not an int64")), r.rejects());
  }

  @Test
  void shouldInferTypesFromTheFirstLines() throws Exception {
    JsonlSource s = source("{\"i\": 1, \"f\": 1, \"b\": true, \"s\": \"x\", \"o\": {\"a\": 1}, \"n\": null, \"m\": 1}\n"
        + "{\"i\": 2, \"f\": 2.5, \"b\": false, \"s\": \"y\", \"o\": [1], \"late\": 1, \"m\": \"z\"}\n");
    assertEquals(schema("i:int64", "f:float64", "b:bool", "s:string", "o:string", "n:string",
        "m:string", "late:int64"), s.schema());
    assertEquals(List.of(row(1L, 1.0, true, "x", "{\"a\": 1}", null, "1", null),
        row(2L, 2.5, false, "y", "[1]", null, "z", 1L)), readAll(s, allocator).rows());
  }

  @Test
  void shouldNameTheInferenceInTheReasonForAnInferredColumn() throws Exception {
    JsonlSource mixed = source("{\"n\": 1}\n{\"n\": true}\n");
    assertEquals(schema("n:string"), mixed.schema());
    JsonlSource later = source("{\"n\": 1}\n".repeat(10_000) + "{\"n\": true}\n");
    Read r = readAll(later, allocator);
    assertEquals(10_000, r.rows().size());
    assertEquals(List.of(new Reject("in.jsonl", 10_001, "{\"n\": true}", "column=n value='true' is not"
        + " an int64 (type inferred from the first 10000 lines; declare schema to override)")), r.rejects());
  }

  @Test
  void shouldCutBatchesAtTheBatchSize() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 10; i++) sb.append("{\"n\": ").append(i).append("}\n");
    Read r = read(source(sb.toString()), schema("n:int64"), 3, allocator);
    assertEquals(List.of(3, 3, 3, 1), r.batchSizes());
  }

  @Test
  void shouldFailThePlanWhenNothingCanBeInferred() throws Exception {
    Path f = write(dir, "empty.jsonl", "\n");
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> new JsonlSource("load", List.of(f), Map.of()));
    assertEquals(List.of("operator=load parameter=path file=" + f + " has no JSON object with keys"
        + " in its first 10000 lines to infer a schema from; declare schema"), e.problems());
  }
}
