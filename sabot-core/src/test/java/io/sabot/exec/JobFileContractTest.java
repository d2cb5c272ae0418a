package io.sabot.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.graph.JobFile;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decisions of docs/job-file.md, each run end to end as a user meets it: a job file on small
 * files, through {@link JobManager} with the optimizer, and the output file read back. The error
 * types are matched by name and message, not imported, so the test does not care which package
 * they live in.
 */
class JobFileContractTest {
  @TempDir
  Path dir;

  // ---- helpers ------------------------------------------------------------------------------

  private void write(String name, String... lines) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, String.join("\n", lines) + "\n");
  }

  /** Runs a job whose operators and connections are given as job-file lines; returns out.csv. */
  private List<String> run(String operators, String connect) throws Exception {
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, "job_name: contract\noperators:\n" + operators
        + "  - {name: out, type: SINK, parameters: {path: out.csv}}\nconnect: " + connect + "\n");
    new JobManager(ExecutionOptions.defaults().withThreads(2)).submitJob(JobFile.load(job));
    return Files.readAllLines(dir.resolve("out.csv"));
  }

  /** SOURCE in → FILTER f (the given condition) → out.csv. */
  private List<String> filter(String source, String condition) throws Exception {
    return run("  - {name: in, type: SOURCE, parameters: {" + source + "}}\n"
        + "  - {name: f, type: FILTER, parameters: {" + condition + "}}\n",
        "[[in, f], [f, out]]");
  }

  /** Stream s and reference r joined by HASH_JOIN j with the given parameters → out.csv. */
  private List<String> join(String stream, String reference, String parameters) throws Exception {
    return run("  - {name: s, type: SOURCE, parameters: {" + stream + "}}\n"
        + "  - {name: r, type: SOURCE, parameters: {" + reference + "}}\n"
        + "  - {name: j, type: HASH_JOIN, parameters: {" + parameters + "}}\n",
        "[[s, j], [r, j], [j, out]]");
  }

  /** x.csv → FILTER {@code x op value} → out.csv, built with the Java API. */
  private List<String> filterJava(String op, Object value) throws Exception {
    JobGraph g = new JobGraph("contract");
    g.addOperator(new StreamOperatorNode(OperatorType.SOURCE, "in", Map.of("path",
        dir.resolve("x.csv").toString(), "schema", Map.of("id", "int64", "x", "float64"))));
    g.addOperator(new StreamOperatorNode(OperatorType.FILTER, "f",
        Map.of("column", "x", "operator", op, "value", value)));
    g.addOperator(new StreamOperatorNode(OperatorType.SINK, "out",
        Map.of("path", dir.resolve("out.csv").toString())));
    g.connect("in", "f");
    g.connect("f", "out");
    new JobManager(ExecutionOptions.defaults().withThreads(2)).submitJob(g);
    return Files.readAllLines(dir.resolve("out.csv"));
  }

  private RuntimeException planError(ThrowingRun job) {
    RuntimeException e = assertThrows(RuntimeException.class, job::run);
    assertEquals("InvalidJobException", e.getClass().getSimpleName(), e.toString());
    return e;
  }

  private interface ThrowingRun {
    void run() throws Exception;
  }

  private static void assertContains(String message, String... parts) {
    for (String p : parts) assertTrue(message.contains(p), "expected '" + p + "' in: " + message);
  }

  private static List<String> col0(List<String> csv) {
    List<String> out = new ArrayList<>();
    for (String line : csv.subList(1, csv.size())) out.add(line.split(",", -1)[0]);
    return out;
  }

  // ---- NaN: IEEE 754 --------------------------------------------------------------------------

  private static final String X = "path: x.csv, schema: {id: int64, x: float64}";

  @Test
  void shouldCompareNaNAsIeeeDoesWithAndWithoutNullsInTheBatch() throws Exception {
    for (boolean withNull : new boolean[] {false, true}) {
      // Without a null the filter reads the column buffer straight (the dense loop); with one it
      // gathers the non-null values first. Both must say the same about NaN.
      write("x.csv", "id,x", "1,1.5", "2,NaN", "3,3", withNull ? "4," : "5,-0.0");
      String last = "5"; // -0.0: a number like any other, only present without the null
      assertEquals(withNull ? List.of("1", "3") : List.of("1", "3", "5"),
          col0(filter(X, "column: x, operator: '<=', value: 10")), "NaN <= 10 is false");
      assertEquals(List.of("1", "3"), col0(filter(X, "column: x, operator: '>', value: 1")));
      assertEquals(withNull ? List.of("2", "3") : List.of("2", "3", last),
          col0(filter(X, "column: x, operator: '!=', value: 1.5")), "NaN != 1.5 is true");
      assertEquals(List.of("1", "3"), col0(filter(X, "column: x, operator: in, value: [1.5, 3]")));
      assertEquals(withNull ? List.of("2") : List.of("2", last),
          col0(filter(X, "column: x, operator: not in, value: [1.5, 3]")), "NaN not in [..]");
      // YAML job files have no NaN literal (Jackson reads '.nan' as malformed); the Java API does.
      List<String> all = withNull ? List.of("1", "2", "3") : List.of("1", "2", "3", last);
      assertEquals(List.of(), col0(filterJava("==", Double.NaN)), "NaN == NaN is false");
      assertEquals(List.of(), col0(filterJava("in", List.of(Double.NaN))), "in agrees with ==");
      assertEquals(all, col0(filterJava("!=", Double.NaN)), "x != NaN is true");
      assertEquals(all, col0(filterJava("not in", List.of(Double.NaN))), "not in agrees with !=");
      assertEquals(List.of(), col0(filterJava(">", Double.NaN)), "x > NaN is false");
    }
  }

  // ---- null values and null cells -------------------------------------------------------------

  @Test
  void shouldDropNullCellsForEveryComparisonIncludingNotEqualAndNotIn() throws Exception {
    write("n.csv", "id,v,s", "1,1,a", "2,,", "3,3,c");
    String src = "path: n.csv, schema: {id: int64, v: int64, s: string}";
    assertEquals(List.of("3"), col0(filter(src, "column: v, operator: '!=', value: 1")));
    assertEquals(List.of("3"), col0(filter(src, "column: v, operator: not in, value: [1]")));
    assertEquals(List.of("3"), col0(filter(src, "column: s, operator: '!=', value: a")));
    assertEquals(List.of("3"), col0(filter(src, "column: s, operator: not in, value: [a]")));
    assertEquals(List.of("2"), col0(filter(src, "column: v, operator: is null")));
  }

  @Test
  void shouldRejectANullValueAsAPlanErrorForEveryComparisonOperator() throws Exception {
    write("n.csv", "id,v", "1,1");
    String src = "path: n.csv, schema: {id: int64, v: int64}";
    for (String op : List.of("'=='", "'!='", "'>'", "'<='")) {
      assertContains(planError(() -> filter(src, "column: v, operator: " + op + ", value: null"))
          .getMessage(), "operator=f", "comparing with null is never true", "is null");
    }
    for (String op : List.of("in", "not in")) {
      assertContains(planError(() -> filter(src, "column: v, operator: " + op
          + ", value: [1, null]")).getMessage(), "operator f", "column=v", "contains null",
          "is null");
    }
  }

  // ---- a fractional literal on an integer column ----------------------------------------------

  @Test
  void shouldRejectAFractionalValueOnAnIntegerColumnNamingOperatorColumnValueAndType()
      throws Exception {
    write("p.csv", "id,price_int", "1,2", "2,3");
    String src = "path: p.csv, schema: {id: int64, price_int: int64}";
    assertContains(planError(() -> filter(src, "column: price_int, operator: '>', value: 2.5"))
        .getMessage(), "column=price_int", "operator f", "int64", "value=2.5",
        "not a whole number");
    assertContains(planError(() -> filter(src, "column: price_int, operator: in, value: [2, 2.5]"))
        .getMessage(), "column=price_int", "value=2.5");
    // A whole number written with a decimal point fits.
    assertEquals(List.of("2"), col0(filter(src, "column: price_int, operator: '>=', value: 3.0")));
  }

  // ---- joins ----------------------------------------------------------------------------------

  @Test
  void shouldNameASecondCollisionWithTheSuffixTwice() throws Exception {
    write("s.csv", "id,v,v_right", "1,a,b");
    write("r.csv", "id,v", "1,c");
    assertEquals(List.of("id,v,v_right,v_right_right", "1,a,b,c"),
        join("path: s.csv", "path: r.csv", "left_key: id, right_key: id"));
  }

  @Test
  void shouldNeverMatchACompositeKeyWithANullPartOnEitherSide() throws Exception {
    write("s.csv", "a,b,q", "1,x,q1", "1,,q2", ",x,q3", "2,y,q4");
    write("r.csv", "a,b,name", "1,x,one", "1,,one-null", ",x,null-x", "2,y,two");
    String schema = "schema: {a: int64, b: string}";
    assertEquals(List.of("a,b,q,name", "1,x,q1,one", "1,,q2,", ",x,q3,", "2,y,q4,two"),
        join("path: s.csv, " + schema, "path: r.csv, " + schema,
            "left_key: [a, b], right_key: [a, b], join_type: left outer"));
  }

  @Test
  void shouldAllowRepeatedNullKeysWithOnDuplicateErrorButFailOnARepeatedKey() throws Exception {
    write("s.csv", "id,q", "1,q1", ",q2");
    write("r.csv", "id,name", "1,one", ",n1", ",n2");
    String params = "left_key: id, right_key: id, join_type: left, on_duplicate: error";
    assertEquals(List.of("id,q,name", "1,q1,one", ",q2,"),
        join("path: s.csv, schema: {id: int64}", "path: r.csv, schema: {id: int64}", params));

    write("r.csv", "id,name", "1,one", "1,uno");
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> join("path: s.csv, schema: {id: int64}", "path: r.csv, schema: {id: int64}", params));
    assertContains(String.valueOf(e.getMessage()), "duplicate key");
  }

  @Test
  void shouldRejectFloatAndBoolKeysSayingWhichKeyAndWhy() throws Exception {
    write("s.csv", "k,b", "1.5,true");
    write("r.csv", "k,b", "1.5,true");
    String msg = planError(() -> join("path: s.csv, schema: {k: float64}",
        "path: r.csv, schema: {k: float64}", "left_key: k, right_key: k")).getMessage();
    assertContains(msg, "operator=j", "left_key column=k is float64, which cannot be a join key");
    msg = planError(() -> join("path: s.csv, schema: {k: int64}",
        "path: r.csv, schema: {k: float64}", "left_key: k, right_key: k")).getMessage();
    assertContains(msg, "right_key column=k is float64, which cannot be a join key");
    msg = planError(() -> join("path: s.csv, schema: {b: bool}", "path: r.csv, schema: {b: bool}",
        "left_key: b, right_key: b")).getMessage();
    assertContains(msg, "left_key column=b is bool, which cannot be a join key");
  }

  // ---- files and columns ----------------------------------------------------------------------

  @Test
  void shouldReadAFolderInNaturalOrderSoTheLastDuplicateComesFromTheHighestNumber()
      throws Exception {
    write("s.csv", "id", "1");
    write("ref/c9.csv", "id,name", "1,nine");
    write("ref/c10.csv", "id,name", "1,ten");
    write("ref/c1.csv", "id,name", "1,one");
    assertEquals(List.of("id,name", "1,ten"),
        join("path: s.csv", "path: ref", "left_key: id, right_key: id, on_duplicate: last"));
    assertEquals(List.of("id,name", "1,ten"),
        join("path: s.csv", "path: 'ref/c*.csv'", "left_key: id, right_key: id"));
    assertEquals(List.of("id,name", "1,one"),
        join("path: s.csv", "path: ref", "left_key: id, right_key: id, on_duplicate: first"));
  }

  @Test
  void shouldKeepCsvHeaderOrderButJsonlSchemaOrder() throws Exception {
    write("h.csv", "b,a", "x,1");
    assertEquals(List.of("b,a", "x,1"),
        filter("path: h.csv, schema: {a: int64, b: string}", "column: a, operator: '>', value: 0"));
    write("h.jsonl", "{\"b\": \"x\", \"a\": 1, \"c\": true}");
    assertEquals(List.of("a,b", "1,x"),
        filter("path: h.jsonl, schema: {a: int64, b: string}", "column: a, operator: '>', value: 0"));
    assertEquals(List.of("b,a,c", "x,1,true"),
        filter("path: h.jsonl", "column: a, operator: '>', value: 0"));
  }

  @Test
  void shouldInferAQuotedCsvNumberAsANumberAndSkipBlanks() throws Exception {
    write("q.csv", "id,x", "1,\"42\"", "2,", "3,  7 ");
    assertEquals(List.of("1", "3"), col0(filter("path: q.csv", "column: x, operator: '>', value: 5")));
    write("blank.csv", "id,x", "1,", "2,");
    assertContains(planError(() -> filter("path: blank.csv", "column: x, operator: '>', value: 5"))
        .getMessage(), "column=x", "has type string");
  }

  @Test
  void shouldInferAQuotedJsonNumberAsTextAndIgnoreNulls() throws Exception {
    write("q.jsonl", "{\"id\": 1, \"x\": \"42\", \"y\": null}", "", "{\"id\": 2, \"x\": \"7\", \"y\": 3}");
    assertEquals(List.of("1"), col0(filter("path: q.jsonl", "column: x, operator: '==', value: '42'")));
    assertContains(planError(() -> filter("path: q.jsonl", "column: x, operator: '>', value: 5"))
        .getMessage(), "column=x", "has type string");
    assertEquals(List.of("2"), col0(filter("path: q.jsonl", "column: y, operator: '>', value: 1")));
  }
}
