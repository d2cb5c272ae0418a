package io.sabot.connect;

import static io.sabot.connect.ConnectorTestSupport.closeChecked;
import static io.sabot.connect.ConnectorTestSupport.readAll;
import static io.sabot.connect.ConnectorTestSupport.write;
import static io.sabot.testing.TestBatches.batch;
import static io.sabot.testing.TestBatches.row;
import static io.sabot.testing.TestBatches.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.connect.arrow.ArrowIpcSink;
import io.sabot.connect.console.DiscardSink;
import io.sabot.connect.console.StdoutTableSink;
import io.sabot.connect.csv.CsvSink;
import io.sabot.connect.csv.CsvSource;
import io.sabot.connect.generator.GeneratorSource;
import io.sabot.connect.jsonl.JsonlSink;
import io.sabot.connect.jsonl.JsonlSource;
import io.sabot.error.InvalidJobException;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.types.Schema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

class ConnectorsTest {
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

  private static StreamOperatorNode source(Object... keyValues) {
    return new StreamOperatorNode(OperatorType.SOURCE, "load_quotes", map(keyValues));
  }

  private static StreamOperatorNode sink(Object... keyValues) {
    return new StreamOperatorNode(OperatorType.SINK, "output", map(keyValues));
  }

  private static Map<String, Object> map(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
    return m;
  }

  private String sourceProblem(StreamOperatorNode node) {
    InvalidJobException e = assertThrows(InvalidJobException.class, () -> Connectors.source(node, dir));
    assertEquals(1, e.problems().size(), e.problems().toString());
    return e.problems().get(0);
  }

  private String sinkProblem(StreamOperatorNode node) {
    InvalidJobException e = assertThrows(InvalidJobException.class, () -> Connectors.sink(node, dir));
    assertEquals(1, e.problems().size(), e.problems().toString());
    return e.problems().get(0);
  }

  @Test
  void shouldBuildASourceForEachFormatFromTheExtensionOrTheFormat() throws Exception {
    write(dir, "q.csv", "instrumentId,price\n1,2.5\n");
    write(dir, "q.json", "{\"a\": 1}\n");
    write(dir, "q.txt", "a\n1\n");
    Source csv = Connectors.source(source("path", "q.csv",
        "schema", map("instrumentId", "int64", "price", "double")), dir);
    assertInstanceOf(CsvSource.class, csv);
    assertEquals(schema("instrumentId:int64", "price:float64"), csv.schema());
    assertInstanceOf(JsonlSource.class, Connectors.source(source("path", "q.json"), dir));
    assertInstanceOf(CsvSource.class, Connectors.source(source("path", "q.txt", "format", "csv"), dir));
    assertInstanceOf(JsonlSource.class, Connectors.source(source("path", "q.csv", "format", "json",
        "schema", map("a", "int64")), dir));
  }

  @Test
  void shouldReadEveryFileOfADirectoryOrGlobSortedByName() throws Exception {
    write(dir, "data/b.csv", "n\n2\n");
    write(dir, "data/a.csv", "n\n1\n");
    write(dir, "data/.hidden.csv", "n\nx\n");
    write(dir, "data/README.md", "hello");
    write(dir, "data/c.csv.bak", "n\ny\n");
    Source fromDir = Connectors.source(source("path", "data"), dir);
    assertEquals(List.of("a.csv", "b.csv"), fromDir.partitions().stream().map(SourcePartition::description).toList());
    assertEquals(List.of(row(1L), row(2L)), readAll(fromDir, allocator).rows());
    Source fromGlob = Connectors.source(source("path", "data/*.csv", "on_error", "skip", "batch_size", 10), dir);
    assertEquals(List.of("a.csv", "b.csv"), fromGlob.partitions().stream().map(SourcePartition::description).toList());
  }

  @Test
  void shouldBuildTheGenerators() {
    Source quotes = Connectors.source(source("generator", "quotes", "rows", 1000, "reference_rows", "2_000"), dir);
    assertEquals(GeneratorSource.Kind.QUOTES.schema(), quotes.schema());
    assertEquals(1000, ((GeneratorSource) quotes).rows());
    GeneratorSource securities = (GeneratorSource) Connectors.source(
        source("generator", "securities", "reference_rows", 500), dir);
    assertEquals(500, securities.rows());
    assertEquals(GeneratorSource.DEFAULT_REFERENCE_ROWS,
        ((GeneratorSource) Connectors.source(source("generator", "SECURITIES"), dir)).rows());
    assertEquals(70, ((GeneratorSource) Connectors.source(
        source("generator", "securities", "rows", 70, "reference_rows", 500), dir)).rows());
  }

  @Test
  void shouldNameTheOperatorParameterAndWhatIsAcceptedInSourceErrors() throws Exception {
    write(dir, "q.xml", "<q/>");
    Path missing = dir.resolve("quotes.csv").toAbsolutePath();
    assertEquals("operator=load_quotes parameter=format value=xml is not supported; use csv, jsonl or arrow",
        sourceProblem(source("path", "q.xml", "format", "xml")));
    assertEquals("operator=load_quotes parameter=path file=" + missing + " does not exist",
        sourceProblem(source("path", "quotes.csv")));
    assertEquals("operator=load_quotes parameter=path file=" + dir.resolve("q.xml").toAbsolutePath()
        + " has no known extension (.csv, .jsonl, .json, .arrow or .arrows) and parameter=format is"
        + " not given; use csv, jsonl or arrow", sourceProblem(source("path", "q.xml")));
    assertEquals("operator=load_quotes parameter=colums is not a parameter of a file source (path);"
        + " accepted: path, format, schema, max_record_bytes, on_error, rejects_path, batch_size",
        sourceProblem(source("path", "q.csv", "colums", "x")));
    assertEquals("operator=load_quotes parameter=kafka_topic needs the sabot-kafka module, which is not"
        + " available in this build", sourceProblem(source("kafka_topic", "quotes", "format", "jsonl")));
    assertEquals("operator=load_quotes parameter=group_id is not a parameter of a file source (path);"
        + " accepted: path, format, schema, max_record_bytes, on_error, rejects_path, batch_size",
        sourceProblem(source("path", "q.csv", "group_id", "g")));
    // (counting is this module's test connector)
    assertEquals("operator=load_quotes needs one of parameter=counting, generator, kafka_topic, memory"
        + " or path to say where its rows come from", sourceProblem(source()));
    assertEquals("operator=load_quotes parameter=generator cannot be combined with parameter=path;"
        + " give one of them", sourceProblem(source("path", "q.csv", "generator", "quotes")));
    assertEquals("operator=load_quotes parameter=generator value=trades is not supported; use quotes or"
        + " securities", sourceProblem(source("generator", "trades")));
    assertEquals("operator=load_quotes parameter=rows value=many must be a whole number >= 0",
        sourceProblem(source("generator", "quotes", "rows", "many")));
    assertEquals("operator=load_quotes parameter=rows is missing; generator=quotes needs the number of rows",
        sourceProblem(source("generator", "quotes")));
    assertEquals("operator=load_quotes parameter=schema column=price value=money is not a type; use int32,"
        + " int64, float64, string, bool or timestamp",
        sourceProblem(source("path", "q.xml", "format", "csv", "schema", map("price", "money"))));
    assertEquals("operator=load_quotes parameter=path pattern=" + dir.toAbsolutePath() + "/none/*.csv"
        + " matches no files", sourceProblem(source("path", "none/*.csv")));
    assertEquals("operator=load_quotes parameter=rows is not a parameter of a file source (path);"
        + " accepted: path, format, schema, max_record_bytes, on_error, rejects_path, batch_size",
        sourceProblem(source("path", "q.xml", "format", "csv", "rows", 3)));
  }

  @Test
  void shouldBuildSinksForFilesStdoutAndDiscard() throws Exception {
    assertInstanceOf(CsvSink.class, Connectors.sink(sink("path", "out/o.csv"), dir));
    assertInstanceOf(JsonlSink.class, Connectors.sink(sink("path", "o.json"), dir));
    assertInstanceOf(ArrowIpcSink.class, Connectors.sink(sink("path", "o.bin", "format", "arrow"), dir));
    assertInstanceOf(StdoutTableSink.class, Connectors.sink(sink("stdout", true, "limit", 5), dir));
    assertInstanceOf(DiscardSink.class, Connectors.sink(sink("discard", true), dir));
    assertInstanceOf(DiscardSink.class, Connectors.sink(sink("format", "discard"), dir));
    assertFalse(Files.exists(dir.resolve("out")), "a sink creates nothing before it is opened");
  }

  @Test
  void shouldWriteTheFormatGivenToStdout() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream stdout = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Schema s = schema("a:int64", "b:string");
    try (Sink sink = Connectors.sink(sink("stdout", "true", "format", "csv"), dir, stdout);
         VectorSchemaRoot b = batch(allocator, s, List.of(row(1L, "x"), row(null, "y,z")))) {
      sink.open(s);
      sink.write(b);
    }
    assertEquals("a,b\n1,x\n,\"y,z\"\n", bytes.toString(StandardCharsets.UTF_8));
    stdout.println("still open");
    assertTrue(bytes.toString(StandardCharsets.UTF_8).endsWith("still open\n"));
  }

  @Test
  void shouldOpenARelativeSinkPathUnderTheBaseDirectory() throws Exception {
    Schema s = schema("a:int64");
    try (Sink sink = Connectors.sink(sink("path", "out/deep/o.jsonl"), dir);
         VectorSchemaRoot b = batch(allocator, s, List.of(row(3L)))) {
      sink.open(s);
      sink.write(b);
      sink.finish();
    }
    assertEquals("{\"a\":3}\n", Files.readString(dir.resolve("out/deep/o.jsonl")));
  }

  @Test
  void shouldNameTheOperatorParameterAndWhatIsAcceptedInSinkErrors() throws Exception {
    Files.createDirectories(dir.resolve("adir"));
    assertEquals("operator=output needs one of parameter=discard, kafka_topic, path or stdout to say"
        + " where its rows go", sinkProblem(sink()));
    assertEquals("operator=output has more than one of parameter=path, parameter=stdout; give one to"
        + " say where its rows go", sinkProblem(sink("path", "o.csv", "stdout", true)));
    assertEquals("operator=output parameter=format value=xml is not supported; use csv, jsonl or arrow, or"
        + " discard", sinkProblem(sink("path", "o.csv", "format", "xml")));
    assertEquals("operator=output parameter=format is missing and file=" + dir.resolve("o.txt").toAbsolutePath()
        + " has no known extension (.csv, .jsonl, .json, .arrow or .arrows); use csv, jsonl or arrow",
        sinkProblem(sink("path", "o.txt")));
    assertEquals("operator=output parameter=limit is not a parameter of a file sink (path); accepted:"
        + " path, format, mode, delivery, strings", sinkProblem(sink("path", "o.csv", "limit", 3)));
    assertEquals("operator=output parameter=limit is only used with stdout: true and the table format",
        sinkProblem(sink("stdout", true, "format", "csv", "limit", 3)));
    assertEquals("operator=output parameter=format value=arrow is not supported with stdout: true; use"
        + " table, csv or jsonl", sinkProblem(sink("stdout", true, "format", "arrow")));
    assertEquals("operator=output parameter=stdout value=yes must be true or false",
        sinkProblem(sink("stdout", "yes")));
    assertEquals("operator=output parameter=path file=" + dir.resolve("adir").toAbsolutePath()
        + " is a directory; a sink writes one file", sinkProblem(sink("path", "adir", "format", "csv")));
    assertEquals("operator=output parameter=mode value=replace is not supported; use overwrite, append or"
        + " fail_if_exists", sinkProblem(sink("path", "o.csv", "mode", "replace")));
    assertEquals("operator=output parameter=mode is not a parameter of a stdout sink; accepted: stdout,"
        + " format, limit", sinkProblem(sink("stdout", true, "mode", "append")));
    assertEquals("operator=output parameter=delivery value=exactly_once keeps the source position with"
        + " the rows of a file it appends to; it needs mode: append, not overwrite",
        sinkProblem(sink("path", "o.csv", "delivery", "exactly_once")));
    assertEquals("operator=output parameter=delivery value=twice is not supported; use at_least_once or"
        + " exactly_once", sinkProblem(sink("path", "o.csv", "mode", "append", "delivery", "twice")));
    Files.writeString(dir.resolve("there.csv"), "a\n1\n");
    assertEquals("operator=output parameter=mode value=fail_if_exists but file="
        + dir.resolve("there.csv").toAbsolutePath() + " exists; remove it, or set mode: overwrite or"
        + " append", sinkProblem(sink("path", "there.csv", "mode", "fail_if_exists")));
    assertEquals("operator=output parameter=group_id is not a parameter of a file sink (path); accepted:"
        + " path, format, mode, delivery, strings",
        sinkProblem(sink("path", "o.csv", "group_id", "x")));
    assertEquals("operator=output parameter=kafka_topic needs the sabot-kafka module, which is not"
        + " available in this build", sinkProblem(sink("kafka_topic", "enriched")));
  }

  @Test
  void shouldSayWhichParameterIsEmptyOrMisspelledWhenNoConnectorIsPicked() {
    assertEquals("operator=load_quotes parameter=path is empty; give a value to say where its rows"
        + " come from", sourceProblem(source("path", null)));
    assertEquals("operator=load_quotes parameter=generator is empty; give a value to say where its"
        + " rows come from", sourceProblem(source("generator", null, "rows", 5)));
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> Connectors.source(source("pth", "q.csv", "on_eror", "skip"), dir));
    assertEquals(List.of("operator=load_quotes needs one of parameter=counting, generator,"
        + " kafka_topic, memory or path to say where its rows come from",
        "operator=load_quotes parameter=pth is not a parameter of any SOURCE; check its spelling",
        "operator=load_quotes parameter=on_eror is not a parameter of any SOURCE; check its"
        + " spelling"), e.problems());
  }

  @Test
  void shouldAcceptWhatEarlierVersionsAccepted() throws Exception {
    write(dir, "q.csv", "a\n1\n");
    assertInstanceOf(CsvSource.class, Connectors.source(source("path", "q.csv", "schema", map()), dir));
    assertInstanceOf(CsvSink.class, Connectors.sink(sink("path", "o.csv", "stdout", false), dir));
    assertInstanceOf(DiscardSink.class, Connectors.sink(sink("discard", true, "stdout", "false"), dir));
  }
}
