package io.sabot.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.connect.Connectors;
import io.sabot.connect.Sink;
import io.sabot.connect.Source;
import io.sabot.graph.JobGraph;
import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Options and jobs of sabot bench-kafka, without a broker (the benchmark itself is run by hand). */
class KafkaBenchCommandTest {
  @Test
  void shouldRejectAnUnknownFormatWithTheAcceptedOnes() {
    CommandLine cli = new CommandLine(new KafkaBenchCommand());
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("--format", "csv", "--rows", "10");
    assertEquals(2, code);
    assertTrue(err.toString().contains("--format value=csv is not supported; use jsonl, arrow"),
        err.toString());
  }

  @Test
  void shouldEndWithTheResultLineInItsDocumentedForm() {
    Measurement m = new Measurement(1_234_567.4, 0, 42.4, 0, 4_567, 0, 0, 0);
    assertEquals("RESULT_KAFKA format=arrow rows_per_s=1234567 out=4567 bootstrap_ms=42",
        new KafkaBenchmark.Report(KafkaBenchmark.Format.ARROW, m, 4_567, null).resultLine());
  }

  @Test
  void shouldBuildJobsWhoseKafkaParametersAreValid() {
    Map<String, Object> quotes = Map.of("kafka_topic", "q", "bootstrap_servers", "127.0.0.1:1",
        "format", "arrow", "schema", Map.of("instrumentId", "int64", "price", "float64"),
        "group_id", "g", "start", "earliest", "bounded", true, "batch_size", 8192);
    Map<String, Object> securities = Map.of("kafka_topic", "s", "bootstrap_servers", "127.0.0.1:1",
        "format", "jsonl", "schema", Map.of("ID", "int64", "CUSIP", "string", "NAME", "string",
            "SECTOR", "string"));
    Map<String, Object> sink = Map.of("kafka_topic", "e", "bootstrap_servers", "127.0.0.1:1",
        "format", "arrow");
    Map<String, Object> join = Map.of("left_key", "instrumentId", "right_key", "ID",
        "join_type", "inner", "reference_refresh_ms", 1L);
    JobGraph g = KafkaBenchmark.KafkaBenchJobs.enrich(quotes, securities, join, sink);
    g.validate();
    assertEquals(join, g.operator("enrich_quotes").parameters());
    assertEquals(quotes, g.operator("load_quotes").parameters());
    assertEquals(securities, g.operator("load_securities").parameters());
    assertEquals(sink, g.operator("output").parameters());
    assertEquals(List.of("filter_quotes", "select_securities"), g.inputs("enrich_quotes"));

    // parsing the parameters connects to nothing: every schema is declared
    Source q = Connectors.source(g.operator("load_quotes"), Path.of("."));
    assertEquals("kafka_topic=q group_id=g start=earliest bounded=true", q.describe());
    assertTrue(q.isBounded());
    assertFalse(q.resumesFromCommittedPositions());
    assertEquals(Set.of(new Field("instrumentId", ColumnType.INT64),
        new Field("price", ColumnType.FLOAT64)), Set.copyOf(q.schema().fields()));

    Source s = Connectors.source(g.operator("load_securities"), Path.of("."));
    assertEquals("kafka_topic=s group_id=sabot-load_securities start=committed bounded=false",
        s.describe());
    assertFalse(s.isBounded());
    assertTrue(s.resumesFromCommittedPositions());
    assertEquals(Set.of(new Field("ID", ColumnType.INT64), new Field("CUSIP", ColumnType.STRING),
        new Field("NAME", ColumnType.STRING), new Field("SECTOR", ColumnType.STRING)),
        Set.copyOf(s.schema().fields()));

    Sink out = Connectors.sink(g.operator("output"), Path.of("."));
    assertEquals("io.sabot.kafka.KafkaSink", out.getClass().getName());
  }
}
