package io.sabot.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.exec.ExecutionOptions;
import io.sabot.exec.JobManager;
import io.sabot.exec.JobSummary;
import io.sabot.graph.JobFile;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.optimizer.PlanOptimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-written jobs for the rules the differential test exercises at random, with the expected
 * sink file spelled out, and the minimal reproductions of the engine bugs it found. Each job runs
 * as written and optimized, with 1 and 3 threads; the executor fails a job that leaves Arrow
 * memory allocated.
 */
class EngineRegressionCasesTest {
  @TempDir
  Path dir;

  @Test
  void shouldAppendRightUntilTheNameIsFree() throws IOException {
    String out = run("""
        operators:
          - {name: s, type: SOURCE, parameters: {path: s.csv, format: csv,
               schema: {id: int64, name: string, name_right: string}}}
          - {name: r, type: SOURCE, parameters: {path: r.csv, format: csv,
               schema: {id: int64, name: string}}}
          - {name: j, type: HASH_JOIN, parameters: {left_key: id, right_key: id}}
          - {name: out, type: SINK, parameters: {path: out.csv, format: csv}}
        connect: [[s, j], [r, j], [j, out]]
        """, Map.of(
        "s.csv", "id,name,name_right\n1,a,b\n",
        "r.csv", "id,name\n1,c\n"));
    assertEquals("id,name,name_right,name_right_right\n1,a,b,c\n", out);
  }

  @Test
  void shouldMatchInt32StreamKeysWithInt64ReferenceKeysInReferenceOrder() throws IOException {
    // on_duplicate all: one row per match, in reference order; null keys never match; left outer
    // keeps unmatched rows (and the null-key row) with nulls.
    String out = run("""
        operators:
          - {name: s, type: SOURCE, parameters: {path: s.csv, format: csv, batch_size: 2,
               schema: {k: int32, v: string}}}
          - {name: r, type: SOURCE, parameters: {path: r.csv, format: csv, batch_size: 1,
               schema: {k: int64, w: string}}}
          - {name: j, type: HASH_JOIN, parameters: {left_key: k, right_key: k,
               join_type: left outer, on_duplicate: all}}
          - {name: out, type: SINK, parameters: {path: out.csv, format: csv}}
        connect: [[s, j], [r, j], [j, out]]
        """, Map.of(
        "s.csv", "k,v\n2,a\n,b\n7,c\n-1,d\n2,e\n",
        "r.csv", "k,w\n2,x\n,null-key\n-1,y\n2,z\n"));
    assertEquals("k,v,w\n2,a,x\n2,a,z\n,b,\n7,c,\n-1,d,y\n2,e,x\n2,e,z\n", out);
  }

  @Test
  void shouldKeepTheFirstOrTheLastDuplicateOfACompositeKey() throws IOException {
    String job = """
        operators:
          - {name: s, type: SOURCE, parameters: {path: s.csv, format: csv,
               schema: {a: string, b: int64}}}
          - {name: r, type: SOURCE, parameters: {path: r.csv, format: csv, batch_size: 1,
               schema: {x: string, y: int32, w: int32}}}
          - {name: j, type: HASH_JOIN, parameters: {left_key: [a, b], right_key: [x, y],
               on_duplicate: %s}}
          - {name: out, type: SINK, parameters: {path: out.csv, format: csv}}
        connect: [[s, j], [r, j], [j, out]]
        """;
    Map<String, String> files = Map.of(
        "s.csv", "a,b\nk,1\nk,2\nm,1\n",
        "r.csv", "x,y,w\nk,1,10\nk,2,20\nk,1,11\nm,2,30\n");
    assertEquals("a,b,w\nk,1,10\nk,2,20\n", runWith(job, "first", files));
    assertEquals("a,b,w\nk,1,11\nk,2,20\n", runWith(job, "last", files));
  }

  @Test
  void shouldJoinASecondTableOnAColumnTheFirstJoinBroughtIn() throws IOException {
    String out = run("""
        operators:
          - {name: s, type: SOURCE, parameters: {path: s.csv, format: csv, schema: {sku: string}}}
          - {name: products, type: SOURCE, parameters: {path: p.csv, format: csv,
               schema: {sku: string, maker: int32}}}
          - {name: makers, type: SOURCE, parameters: {path: m.csv, format: csv,
               schema: {id: int64, country: string}}}
          - {name: keep_eu, type: FILTER, parameters: {column: country, operator: in,
               value: [DE, FR]}}
          - {name: j1, type: HASH_JOIN, parameters: {left_key: sku, right_key: sku,
               join_type: left}}
          - {name: j2, type: HASH_JOIN, parameters: {left_key: maker, right_key: id,
               join_type: left_outer}}
          - {name: out, type: SINK, parameters: {path: out.csv, format: csv}}
        connect: [[s, j1], [products, j1], [makers, keep_eu], [j1, j2], [keep_eu, j2], [j2, out]]
        """, Map.of(
        "s.csv", "sku\np1\np2\np3\np4\n",
        "p.csv", "sku,maker\np1,1\np2,2\np3,\n",
        "m.csv", "id,country\n1,DE\n2,US\n"));
    assertEquals("sku,maker,country\np1,1,DE\np2,2,\np3,,\np4,,\n", out);
  }

  @Test
  void shouldNeverKeepNullsInAComparisonEvenForNotEqualAndNotIn() throws IOException {
    String job = """
        operators:
          - {name: s, type: SOURCE, parameters: {path: s.csv, format: csv,
               schema: {id: int64, v: int32, t: string}}}
          - {name: f, type: FILTER, parameters: %s}
          - {name: out, type: SINK, parameters: {path: out.csv, format: csv}}
        connect: [[s, f], [f, out]]
        """;
    Map<String, String> files = Map.of("s.csv", "id,v,t\n1,1,a\n2,,b\n3,2,\n");
    assertEquals("id,v,t\n1,1,a\n", runWith(job, "{column: v, operator: '!=', value: 2}", files));
    assertEquals("id,v,t\n1,1,a\n",
        runWith(job, "{column: v, operator: not in, value: [2]}", files));
    assertEquals("id,v,t\n2,,b\n", runWith(job, "{column: t, operator: '!=', value: a}", files));
    assertEquals("id,v,t\n2,,b\n", runWith(job, "{column: v, operator: is null}", files));
    assertEquals("id,v,t\n1,1,a\n3,2,\n", runWith(job,
        "{any: [{column: t, operator: is null}, {all: [{column: v, operator: '<', value: 2}]}]}",
        files));
  }

  /** docs/job-file.md: a fractional literal does not fit an integer column; a whole one does. */
  @Test
  void shouldRejectAFractionalLiteralOnAnIntegerColumnButAcceptAWholeOneWrittenAsFloat()
      throws IOException {
    String job = """
        operators:
          - {name: s, type: SOURCE, parameters: {path: s.csv, format: csv, schema: {v: int64}}}
          - {name: f, type: FILTER, parameters: %s}
          - {name: out, type: SINK, parameters: {path: out.csv, format: csv}}
        connect: [[s, f], [f, out]]
        """;
    Map<String, String> files = Map.of("s.csv", "v\n1\n2\n3\n");
    assertEquals("v\n1\n2\n", runWith(job, "{column: v, operator: '<=', value: 2.0}", files));
    for (String fractional : new String[] {"{column: v, operator: '>', value: 1.5}",
        "{column: v, operator: in, value: [2, 2.5]}"}) {
      RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
          () -> runWith(job, fractional, files));
      assertTrue(e.getMessage().contains("is not a whole number"), e.getMessage());
    }
  }

  @Test
  void shouldOrderStringsByTheirBytes() throws IOException {
    String out = run("""
        operators:
          - {name: s, type: SOURCE, parameters: {path: s.csv, format: csv, schema: {t: string}}}
          - {name: f, type: FILTER, parameters: {column: t, operator: '<', value: a}}
          - {name: out, type: SINK, parameters: {path: out.csv, format: csv}}
        connect: [[s, f], [f, out]]
        """, Map.of("s.csv", "t\nB\na\n10\n9\nZz\nab\n"));
    assertEquals("t\nB\n10\n9\nZz\n", out);
  }

  /**
   * Found by the differential test (fixed in a5bec61/41bc4f2): a join matching under 1% of its
   * stream rows made the summary sample reference keys after LocalExecutor had closed the table;
   * the job failed with IndexOutOfBoundsException after the sink had written its rows.
   */
  @Test
  void shouldReportALowMatchJoinWithoutFailing() throws IOException {
    String job = """
        operators:
          - {name: s, type: SOURCE, parameters: {path: s.csv, format: csv, schema: {k: int64}}}
          - {name: r, type: SOURCE, parameters: {path: r.csv, format: csv,
               schema: {k: int64, w: string}}}
          - {name: j, type: HASH_JOIN, parameters: {left_key: k, right_key: k}}
          - {name: out, type: SINK, parameters: {path: out.csv, format: csv}}
        connect: [[s, j], [r, j], [j, out]]
        """;
    assertEquals("k,w\n", run(job, Map.of("s.csv", "k\n1\n", "r.csv", "k,w\n2,x\n")));
    assertTrue(lastSummary.warnings().stream().anyMatch(w -> w.contains("join j matched 0 of 1")),
        lastSummary.warnings().toString());
  }

  /**
   * Found by the differential test (fixed in 8832c16): {@code in}/{@code not in} on a float64
   * column used Arrays.binarySearch, which tells -0.0 from 0.0, while {@code ==} does not; the same
   * value was kept by {@code == 0.0} and dropped by {@code in [0.0]}.
   */
  @Test
  void shouldFindNegativeZeroInAListAsEqualsDoes() throws IOException {
    String job = """
        operators:
          - {name: s, type: SOURCE, parameters: {path: s.csv, format: csv, schema: {x: float64}}}
          - {name: f, type: FILTER, parameters: %s}
          - {name: out, type: SINK, parameters: {path: out.csv, format: csv}}
        connect: [[s, f], [f, out]]
        """;
    Map<String, String> files = Map.of("s.csv", "x\n-0.0\n0.0\n1.0\n");
    assertEquals("x\n-0.0\n0.0\n", runWith(job, "{column: x, operator: '==', value: 0.0}", files));
    assertEquals("x\n-0.0\n0.0\n", runWith(job, "{column: x, operator: in, value: [0.0]}", files));
    assertEquals("x\n1.0\n", runWith(job, "{column: x, operator: not in, value: [-0.0]}", files));
  }

  /**
   * Found by the differential test (fixed in 8beafcd): a HASH_JOIN's reference_filter
   * (PushDownFilter turns f into one, since j keeps the last duplicate) was bound by JoinLowering
   * to the column positions of the reference SOURCE r (a=0, b=1, k=2) but evaluated by
   * TableFilter on the built table, whose columns are sr's output (b, a, k). So "a < 0" read b: the
   * optimized job wrote no row where the job as written writes one. With a SELECT that drops
   * columns it failed instead (IndexOutOfBoundsException in DenseCompare.longs).
   */
  @Test
  void shouldApplyAReferenceFilterToTheColumnItNames() throws IOException {
    String out = run("""
        operators:
          - {name: s, type: SOURCE, parameters: {path: s.csv, format: csv, schema: {k: string}}}
          - {name: r, type: SOURCE, parameters: {path: r.csv, format: csv,
               schema: {a: int64, b: int64, k: string}}}
          - {name: sr, type: SELECT, parameters: {columns: [b, a, k]}}
          - {name: j, type: HASH_JOIN, parameters: {left_key: k, right_key: k}}
          - {name: f, type: FILTER, parameters: {column: a, operator: '<', value: 0}}
          - {name: out, type: SINK, parameters: {path: out.csv, format: csv}}
        connect: [[s, j], [r, sr], [sr, j], [j, f], [f, out]]
        """, Map.of("s.csv", "k\nx\n", "r.csv", "a,b,k\n-1,5,x\n"));
    assertEquals("k,b,a\nx,5,-1\n", out);
  }

  /**
   * Found by the differential test (fixed in 8beafcd): with MINIMIZE_QUOTES (and without
   * ALWAYS_QUOTE_NUMBERS_AS_STRINGS) JobFile.write wrote a string that reads as a number unquoted
   * ({@code value: 10}), so the file came back with the number 10, and a FILTER on a string column
   * then failed to plan ("has type string but value=10 is a number"). JobFile.write promises that
   * parse reads its text back to an equal graph.
   */
  @Test
  void shouldReadANumberLikeStringBackAsAString() {
    JobGraph graph = new JobGraph("quoted");
    Map<String, Object> filter = new LinkedHashMap<>();
    filter.put("column", "code");
    filter.put("operator", "==");
    filter.put("value", "10");
    graph.addOperator(new StreamOperatorNode(OperatorType.FILTER, "f", filter));
    String yaml = JobFile.write(graph, JobFile.Format.YAML);
    assertEquals("10", JobFile.parse(yaml, "test").operator("f").parameter("value"), yaml);
  }

  /**
   * Found by the differential test (fixed in 8832c16): PushDownFilter moved a filter on reference
   * columns into the reference input of a join with on_duplicate last, where it decided which
   * duplicate the table kept. As written the stream row meets the last row (1, b) and the filter
   * drops it; pushed down, the filter dropped (1, b) first and (1, a) came out. Only
   * on_duplicate all commutes with a filter.
   */
  @Test
  void shouldKeepTheLastDuplicateWhenAFilterOnItIsPushedDown() throws IOException {
    String out = run("""
        operators:
          - {name: s, type: SOURCE, parameters: {path: s.csv, format: csv, schema: {k: int64}}}
          - {name: r, type: SOURCE, parameters: {path: r.csv, format: csv,
               schema: {k: int64, x: string}}}
          - {name: j, type: HASH_JOIN, parameters: {left_key: k, right_key: k}}
          - {name: f, type: FILTER, parameters: {column: x, operator: '==', value: a}}
          - {name: out, type: SINK, parameters: {path: out.csv, format: csv}}
        connect: [[s, j], [r, j], [j, f], [f, out]]
        """, Map.of("s.csv", "k\n1\n", "r.csv", "k,x\n1,a\n1,b\n"));
    assertEquals("k,x\n", out);
  }

  /**
   * Found by the differential test (fixed in 8832c16): PushDownProjection pruned at the SOURCE
   * the columns nobody downstream reads, but narrowed a SELECT only when it directly followed the
   * SOURCE, so a SELECT behind a FILTER (b in sr) or after a join (a in sel1) still named a pruned
   * column: "the optimizer produced an invalid plan: column=b not found in operator sr".
   */
  @Test
  void shouldNarrowEverySelectThatNamesAPrunedColumn() throws IOException {
    String out = run("""
        operators:
          - {name: s, type: SOURCE, parameters: {path: s.csv, format: csv, schema: {k: int64}}}
          - {name: r, type: SOURCE, parameters: {path: r.csv, format: csv,
               schema: {k: int64, a: string, b: string}}}
          - {name: fr, type: FILTER, parameters: {column: a, operator: '==', value: x}}
          - {name: sr, type: SELECT, parameters: {columns: [k, a, b]}}
          - {name: j, type: HASH_JOIN, parameters: {left_key: k, right_key: k}}
          - {name: sel, type: SELECT, parameters: {columns: [k, a]}}
          - {name: out, type: SINK, parameters: {path: out.csv, format: csv}}
        connect: [[s, j], [r, fr], [fr, sr], [sr, j], [j, sel], [sel, out]]
        """, Map.of("s.csv", "k\n1\n", "r.csv", "k,a,b\n1,x,y\n"));
    assertEquals("k,a\n1,x\n", out);
    String afterJoin = run("""
        operators:
          - {name: s, type: SOURCE, parameters: {path: s.csv, format: csv,
               schema: {k: int64, a: string}}}
          - {name: r, type: SOURCE, parameters: {path: r.csv, format: csv,
               schema: {k: int64, w: string}}}
          - {name: j, type: HASH_JOIN, parameters: {left_key: k, right_key: k}}
          - {name: sel1, type: SELECT, parameters: {columns: [k, a, w]}}
          - {name: sel2, type: SELECT, parameters: {columns: [k, w]}}
          - {name: out, type: SINK, parameters: {path: out.csv, format: csv}}
        connect: [[s, j], [r, j], [j, sel1], [sel1, sel2], [sel2, out]]
        """, Map.of("s.csv", "k,a\n1,x\n", "r.csv", "k,w\n1,y\n"));
    assertEquals("k,w\n1,y\n", afterJoin);
  }

  /**
   * Found by the differential test (fixed in 8832c16): a reference column's output name depends
   * on the columns before it (a_right is taken, so the reference a_right becomes a_right_right).
   * PushDownProjection pruned a column that a needed name depended on (the reference a in the
   * first job, the stream a_right in the second), the name shifted and the plan was invalid:
   * "column=a_right_right not found in operator sel".
   */
  @Test
  void shouldKeepTheColumnsThatReferenceColumnNamesDependOn() throws IOException {
    String job = """
        operators:
          - {name: s, type: SOURCE, parameters: {path: s.csv, format: csv, schema: {%s}}}
          - {name: r, type: SOURCE, parameters: {path: r.csv, format: csv, schema: {%s}}}
          - {name: j, type: HASH_JOIN, parameters: {left_key: k, right_key: k}}
          - {name: sel, type: SELECT, parameters: {columns: [k, a_right_right]}}
          - {name: out, type: SINK, parameters: {path: out.csv, format: csv}}
        connect: [[s, j], [r, j], [j, sel], [sel, out]]
        """;
    assertEquals("k,a_right_right\n1,r2\n", run(job.formatted(
        "k: int64, a: string", "k: int64, a: string, a_right: string"),
        Map.of("s.csv", "k,a\n1,s1\n", "r.csv", "k,a,a_right\n1,r1,r2\n")));
    assertEquals("k,a_right_right\n1,r1\n", run(job.formatted(
        "k: int64, a: string, a_right: string", "k: int64, a: string"),
        Map.of("s.csv", "k,a,a_right\n1,s1,s2\n", "r.csv", "k,a\n1,r1\n")));
  }

  private JobSummary lastSummary;

  /** Runs {@code job}, a job text with one %s, filled in with {@code fill}. */
  private String runWith(String job, String fill, Map<String, String> files) throws IOException {
    return run(job.formatted(fill), files);
  }

  /**
   * Runs the job (YAML without job_name) as written and optimized, with 1 and 3 threads; returns
   * the sink's text, which must be the same every time.
   */
  private String run(String operatorsAndConnect, Map<String, String> files) throws IOException {
    for (Map.Entry<String, String> f : files.entrySet()) {
      Files.writeString(dir.resolve(f.getKey()), f.getValue());
    }
    String text = null;
    for (boolean optimize : new boolean[] {false, true}) {
      for (int threads : new int[] {1, 3}) {
        JobGraph graph = JobFile.parse("job_name: regression\n" + operatorsAndConnect, "test");
        graph.setBaseDirectory(dir);
        lastSummary = new JobManager(ExecutionOptions.defaults().withThreads(threads),
            optimize ? new PlanOptimizer() : null).submitJob(graph).summary();
        String out = Files.readString(dir.resolve("out.csv"));
        if (text != null) {
          assertEquals(text, out, "optimize=" + optimize + " threads=" + threads
              + " disagrees with the job as written on 1 thread");
        }
        text = out;
      }
    }
    return text;
  }
}
