package io.sabot.connect.csv;

import static io.sabot.connect.ConnectorTestSupport.closeChecked;
import static io.sabot.connect.ConnectorTestSupport.read;
import static io.sabot.connect.ConnectorTestSupport.readAll;
import static io.sabot.testing.TestBatches.row;
import static io.sabot.testing.TestBatches.schema;
import static io.sabot.connect.ConnectorTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ConnectorTestSupport;
import io.sabot.connect.ConnectorTestSupport.Read;
import io.sabot.connect.ConnectorTestSupport.Reject;
import io.sabot.connect.ReadContext;
import io.sabot.connect.SourcePartition;
import io.sabot.error.InvalidJobException;
import io.sabot.types.ColumnType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSourceTest {
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

  private CsvSource source(String text, Map<String, ColumnType> declared) throws Exception {
    return new CsvSource("load", List.of(write(dir, "in.csv", text)), declared);
  }

  private static Map<String, ColumnType> types(String... nameType) {
    Map<String, ColumnType> m = new LinkedHashMap<>();
    for (String s : nameType) m.put(s.split(":")[0], ColumnType.parse(s.split(":")[1]));
    return m;
  }

  @Test
  void shouldReadDeclaredTypesExactly() throws Exception {
    CsvSource s = source("id,price,name,active,ts,small\n"
        + "1,101.5,Acme,true,1700000000000,7\n"
        + "-2,1e3,Beta,FALSE,2024-01-02T03:04:05Z,-8\n"
        + "3,.25,,True,2024-01-02,0\n",
        types("id:int64", "price:float64", "name:string", "active:bool", "ts:timestamp", "small:int32"));
    assertEquals(schema("id:int64", "price:float64", "name:string", "active:bool", "ts:timestamp",
        "small:int32"), s.schema());
    Read r = readAll(s, allocator);
    assertEquals(List.of(
        row(1L, 101.5, "Acme", true, 1_700_000_000_000L, 7),
        row(-2L, 1000.0, "Beta", false, 1_704_164_645_000L, -8),
        row(3L, 0.25, null, true, 1_704_153_600_000L, 0)), r.rows());
    assertEquals(List.of(), r.rejects());
  }

  @Test
  void shouldReadEmptyFieldsAsNullAndQuotedEmptyAsEmptyString() throws Exception {
    CsvSource s = source("a,b,c\n,,\n\"\",\"\",2\n", types("a:string", "b:int64", "c:int64"));
    assertEquals(List.of(row(null, null, null), row("", null, 2L)), readAll(s, allocator).rows());
  }

  @Test
  void shouldReadQuotesEmbeddedCommasAndNewlines() throws Exception {
    CsvSource s = source("id,text\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\nlines\"\r\n4,é ü 😀\r\n",
        Map.of());
    Read r = readAll(s, allocator);
    assertEquals(List.of(row(1L, "a, b"), row(2L, "say \"hi\""), row(3L, "two\nlines"),
        row(4L, "é ü 😀")), r.rows());
  }

  @Test
  void shouldInferInt64Float64BoolAndString() throws Exception {
    CsvSource s = source("i,f,b,s,mixed,empty,neg\n"
        + "1,1,true,x,1,,-5\n"
        + "2,2.5,False,y,true,,+6\n"
        + "30,-1e-3,TRUE,z,2.0,,0\n", Map.of());
    assertEquals(schema("i:int64", "f:float64", "b:bool", "s:string", "mixed:string",
        "empty:string", "neg:int64"), s.schema());
    assertTrue(s.isInferred("f"));
  }

  @Test
  void shouldKeepLeadingZerosAsString() throws Exception {
    CsvSource s = source("cusip,zero,half,code\n000123,0,0.5,7\n004567,0,0.25,007\n", Map.of());
    assertEquals(schema("cusip:string", "zero:int64", "half:float64", "code:string"), s.schema());
    assertEquals(List.of(row("000123", 0L, 0.5, "7"), row("004567", 0L, 0.25, "007")),
        readAll(s, allocator).rows());
  }

  @Test
  void shouldInferOnlyUndeclaredColumns() throws Exception {
    CsvSource s = source("id,price,qty\n1,2.5,3\n", types("id:string"));
    assertEquals(schema("id:string", "price:float64", "qty:int64"), s.schema());
    assertFalse(s.isInferred("id"));
    assertTrue(s.isInferred("qty"));
  }

  @Test
  void shouldInferFromTheFirst10000RowsOnly() throws Exception {
    StringBuilder sb = new StringBuilder("n\n");
    for (int i = 0; i < 10_000; i++) sb.append(i).append('\n');
    sb.append("oops\n");
    CsvSource s = source(sb.toString(), Map.of());
    assertEquals(schema("n:int64"), s.schema());
    Read r = readAll(s, allocator);
    assertEquals(10_000, r.rows().size());
    assertEquals(List.of(new Reject("in.csv", 10_002, "oops", "column=n value='oops' is not an int64"
        + " (type inferred from the first 10000 rows; declare schema to override)")), r.rejects());
  }

  @Test
  void shouldRejectBadRecordsWithLineAndReasonAndGoOn() throws Exception {
    CsvSource s = source("id,price,name\n"
        + "1,10.5,a\n"
        + "2,abc,b\n"
        + "3,\"multi\nline\",c\n"
        + "4,1.5\n"
        + "5,2.5,e,extra\n"
        + "x6,3.5,f\n"
        + "7,4.5,\"g, h\"\n", types("id:int64", "price:float64", "name:string"));
    Read r = readAll(s, allocator);
    assertEquals(List.of(row(1L, 10.5, "a"), row(7L, 4.5, "g, h")), r.rows());
    assertEquals(List.of(
        new Reject("in.csv", 3, "2,abc,b", "column=price value='abc' is not a float64"),
        new Reject("in.csv", 4, "3,\"multi\nline\",c", "column=price value='multi\nline' is not a float64"),
        new Reject("in.csv", 6, "4,1.5", "record has 2 fields, header has 3"),
        new Reject("in.csv", 7, "5,2.5,e,extra", "record has 4 fields, header has 3"),
        new Reject("in.csv", 8, "x6,3.5,f", "column=id value='x6' is not an int64")), r.rejects());
  }

  @Test
  void shouldNotRejectBadValuesInColumnsOutsideTheProjection() throws Exception {
    CsvSource s = source("id,price,name\n1,abc,a\n2,2.5,b\n",
        types("id:int64", "price:float64", "name:string"));
    Read r = read(s, s.schema().project(List.of("id", "name")), 100, allocator);
    assertEquals(List.of(row(1L, "a"), row(2L, "b")), r.rows());
    assertEquals(List.of(), r.rejects());
  }

  @Test
  void shouldCutBatchesAtTheBatchSize() throws Exception {
    StringBuilder sb = new StringBuilder("n\n");
    for (int i = 0; i < 10; i++) sb.append(i).append('\n');
    Read r = read(source(sb.toString(), Map.of()), schema("n:int64"), 3, allocator);
    assertEquals(List.of(3, 3, 3, 1), r.batchSizes());
    assertEquals(row(9L), r.rows().get(9));
  }

  @Test
  void shouldFillBatchesPastRejectedRecords() throws Exception {
    Read r = read(source("n\n1\nx\n2\ny\n3\n4\n", Map.of("n", ColumnType.INT64)),
        schema("n:int64"), 2, allocator);
    assertEquals(List.of(2, 2), r.batchSizes());
    assertEquals(2, r.rejects().size());
  }

  @Test
  void shouldReleaseTheBatchWhenTheRejecterThrows() throws Exception {
    CsvSource s = source("name,n\nabc,1\ndef,2\nghi,x\n", Map.of("n", ColumnType.INT64));
    ReadContext failing = new ReadContext(allocator, s.schema(), 100, new ConnectorTestSupport.Rejects(true));
    try (BatchReader reader = s.partitions().get(0).open(failing)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, reader::next);
      assertEquals("rejected line 4: column=n value='x' is not an int64", e.getMessage());
    }
  }

  @Test
  void shouldReadEveryFileOfTheSourceInOrder() throws Exception {
    Path a = write(dir, "a.csv", "id,x\n1,p\n");
    Path b = write(dir, "b.csv", "x,id,extra\nq,2,z\n");
    CsvSource s = new CsvSource("load", List.of(a, b), Map.of());
    assertEquals(schema("id:int64", "x:string"), s.schema());
    assertEquals(List.of("a.csv", "b.csv"), s.partitions().stream().map(SourcePartition::description).toList());
    assertEquals(List.of(row(1L, "p"), row(2L, "q")), readAll(s, allocator).rows());
  }

  @Test
  void shouldFailThePlanWhenADeclaredColumnIsNotInTheHeader() throws Exception {
    Path f = write(dir, "q.csv", "id,price\n1,2\n");
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> new CsvSource("load_quotes", List.of(f), types("prise:float64")));
    assertEquals(List.of("operator=load_quotes parameter=path file=" + f
        + " has no column=prise (declared in schema); header: id, price"), e.problems());
  }

  @Test
  void shouldFailThePlanOnASingleEmptyFileOrDuplicateHeader() throws Exception {
    Path empty = write(dir, "e.csv", "");
    Path dup = write(dir, "d.csv", "a,b,a\n");
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> new CsvSource("load", List.of(empty), Map.of()));
    assertEquals(List.of(
        "operator=load parameter=path file=" + empty + " is empty; a CSV source needs a header row"),
        e.problems());
    e = assertThrows(InvalidJobException.class, () -> new CsvSource("load", List.of(empty, dup), Map.of()));
    assertEquals(List.of("operator=load parameter=path file=" + dup + " header names column=a twice"),
        e.problems());
  }

  @Test
  void shouldTrimBlanksAroundNumbersButNotStrings() throws Exception {
    CsvSource s = source("a,b\n 1 , x \n", types("a:int64", "b:string"));
    assertEquals(List.of(row(1L, " x ")), readAll(s, allocator).rows());
  }

  @Test
  void shouldReturnNullAfterTheLastBatchAndOnAHeaderOnlyFile() throws Exception {
    CsvSource s = source("a\n", types("a:int64"));
    try (BatchReader reader = s.partitions().get(0).open(
        new ReadContext(allocator, s.schema(), 10, new ConnectorTestSupport.Rejects()))) {
      VectorSchemaRoot first = reader.next();
      assertEquals(null, first);
      assertEquals(null, reader.next());
    }
  }
}
