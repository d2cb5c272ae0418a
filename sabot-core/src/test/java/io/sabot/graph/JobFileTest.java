package io.sabot.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sabot.error.InvalidJobException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobFileTest {
  static final String DESIGN_EXAMPLE = String.join("\n",
      "job_name: stream_enrichment",
      "operators:",
      "  - name: load_quotes",
      "    type: SOURCE",
      "    parameters: {path: quotes.csv, format: csv,",
      "                 schema: {instrumentId: int64, price: float64, size: int64}}",
      "  - name: filter_quotes",
      "    type: FILTER",
      "    parameters: {column: price, operator: '>', value: 100}",
      "  - name: load_securities",
      "    type: SOURCE",
      "    parameters: {path: securities.csv, format: csv}",
      "  - name: select_securities",
      "    type: SELECT",
      "    parameters: {columns: [ID, CUSIP, NAME]}",
      "  - name: enrich_quotes",
      "    type: HASH_JOIN",
      "    parameters: {left_key: instrumentId, right_key: ID, join_type: inner}",
      "  - name: output",
      "    type: SINK",
      "    parameters: {path: out.csv, format: csv}",
      "connect:",
      "  - [load_quotes, filter_quotes]",
      "  - [filter_quotes, enrich_quotes]",
      "  - [load_securities, select_securities]",
      "  - [select_securities, enrich_quotes]",
      "  - [enrich_quotes, output]",
      "");

  @Test
  void shouldReadTheDesignExample() {
    JobGraph g = JobFile.parse(DESIGN_EXAMPLE, "design.yaml");
    assertEquals("stream_enrichment", g.jobName());
    assertEquals(6, g.operators().size());
    assertEquals(List.of("filter_quotes", "select_securities"), g.inputs("enrich_quotes"));
    StreamOperatorNode filter = g.operator("filter_quotes");
    assertEquals(OperatorType.FILTER, filter.operatorType());
    assertEquals(Map.of("column", "price", "operator", ">", "value", 100), filter.parameters());
    assertEquals(Map.of("instrumentId", "int64", "price", "float64", "size", "int64"),
        g.operator("load_quotes").parameter("schema"));
    g.validate();
  }

  @Test
  void shouldRoundTripThroughYamlAndJson(@TempDir Path dir) throws Exception {
    JobGraph g = JobFile.parse(DESIGN_EXAMPLE, "design.yaml");
    for (String name : List.of("job.yaml", "job.json")) {
      Path file = dir.resolve(name);
      JobFile.save(g, file);
      JobGraph back = JobFile.load(file);
      assertEquals(g, back, name);
      assertEquals(dir.toAbsolutePath(), back.baseDirectory());
    }
    String json = Files.readString(dir.resolve("job.json"));
    assertEquals('{', json.charAt(0));
    assertEquals(g, JobFile.parse(JobFile.write(g, JobFile.Format.YAML), "again"));
  }

  @Test
  void shouldNameEveryMistakeInTheFile() {
    String text = String.join("\n",
        "job_name: bad",
        "operatrs: []",
        "operators:",
        "  - {name: a, type: SORUCE}",
        "  - {type: SINK}",
        "  - {name: c, type: SINK, parameters: [1]}",
        "connect:",
        "  - [a]");
    InvalidJobException e = assertThrows(InvalidJobException.class, () -> JobFile.parse(text, "bad.yaml"));
    assertEquals(List.of(
        "the job file has unknown key 'operatrs'; known keys: job_name, operators, connect",
        "operator a: unknown operator type 'SORUCE'; known types: SOURCE, FILTER, SELECT, "
            + "HASH_JOIN, SINK",
        "operators[1] has no name",
        "operator c: parameters must be a map",
        "connect entry [\"a\"] must be a pair [upstream, downstream] of operator names"),
        e.problems());
  }

  @Test
  void shouldReportYamlSyntaxErrorsWithTheLine() {
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> JobFile.parse("job_name: x\noperators: [\n", "broken.yaml"));
    assertEquals(true, e.getMessage().startsWith("Invalid job: job file broken.yaml is not valid "
        + "YAML or JSON"), e.getMessage());
  }

  @Test
  void shouldExpandAnAnchorReusedByTwoSources() {
    String text = String.join("\n",
        "job_name: shared_schema",
        "x-quote-schema: &s {instrumentId: int64, price: float64}",
        "operators:",
        "  - {name: a, type: SOURCE, parameters: {path: a.csv, schema: *s}}",
        "  - {name: b, type: SOURCE, parameters: {path: b.csv, schema: *s, batch_size: &n 10}}",
        "  - {name: j, type: HASH_JOIN, parameters: {left_key: instrumentId, right_key: instrumentId,",
        "     max_rows: *n}}",
        "  - {name: out, type: SINK, parameters: {discard: true}}",
        "connect: [[a, j], [b, j], [j, out]]");
    JobGraph g = JobFile.parse(text, "shared.yaml");
    Map<String, Object> schema = Map.of("instrumentId", "int64", "price", "float64");
    assertEquals(schema, g.operator("a").parameter("schema"));
    assertEquals(schema, g.operator("b").parameter("schema"));
    assertEquals(10, g.operator("j").parameter("max_rows"));
    assertEquals(List.of("a", "b", "j", "out"),
        g.operators().stream().map(StreamOperatorNode::name).toList());
  }

  @Test
  void shouldRefuseAnAliasBomb() {
    StringBuilder text = new StringBuilder("job_name: lol\nx-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (char c = 'b'; c <= 'i'; c++) {
      char prev = (char) (c - 1);
      text.append("x-").append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 10; i++) text.append(i == 0 ? "" : ", ").append('*').append(prev);
      text.append("]\n");
    }
    text.append("operators: [{name: out, type: SINK, parameters: {discard: true, x: *i}}]\n");
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> JobFile.parse(text.toString(), "bomb.yaml"));
    assertEquals("Invalid job: job file bomb.yaml: YAML aliases expand to more than 100000 values "
        + "(alias=*d at line 6, column 38); refused as a likely alias bomb; write such a file "
        + "without aliases", e.getMessage());
  }

  @Test
  void shouldRefuseAnAliasWithoutACompleteAnchorBeforeIt() {
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> JobFile.parse("job_name: x\nx-loop: &l [1, *l]\noperators: []\n", "loop.yaml"));
    assertEquals("Invalid job: job file loop.yaml: alias=*l refers to no complete anchor &l before "
        + "it at line 2, column 16", e.getMessage());
  }

  @Test
  void shouldStillRefuseUnknownTopLevelKeysThatDoNotStartWithX() {
    InvalidJobException e = assertThrows(InvalidJobException.class, () -> JobFile.parse(
        "job_name: x\nx-ok: 1\nschemas: {}\noperators: [{name: out, type: SINK, parameters: "
            + "{discard: true}}]\n", "keys.yaml"));
    assertEquals(List.of("the job file has unknown key 'schemas'; known keys: job_name, "
        + "operators, connect"), e.problems());
  }
}
