package io.sabot.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.exec.JobManager;
import io.sabot.exec.JobSummary;
import io.sabot.graph.JobFile;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's two examples, end to end, against answers computed the obvious way. */
class StreamEnrichmentExamplesTest {
  static final Path EXAMPLES = Path.of("stream-enrichment").toAbsolutePath();

  /** The job file with its sink redirected to a CSV file in {@code dir}. */
  static JobGraph withCsvSink(Path jobFile, Path out) {
    JobGraph graph = JobFile.load(jobFile);
    graph.replaceOperator(new StreamOperatorNode(OperatorType.SINK, "output",
        Map.of("path", out.toString(), "format", "csv")));
    return graph;
  }

  @Test
  void shouldEnrichTheLocalExampleFromItsJobFile(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("enriched.csv");
    JobSummary summary = new JobManager()
        .submitJob(withCsvSink(EXAMPLES.resolve("local_enrichment.yaml"), out)).summary();
    List<List<String>> rows = ExpectedRows.readCsv(out);
    assertEquals(ExpectedRows.localEnrichment(EXAMPLES, 150), rows);
    assertEquals(36, rows.size()); // header + 35 quotes above 150, every one with a security
    assertEquals(List.of("18", "160.32574346598716", "1003", "1700000000002", "000142542", "SEC18",
        "Real Estate"), rows.get(1));
    assertEquals(35, summary.rowsOut());
    assertEquals(100, summary.operator("filter_quotes").rowsIn());
    assertEquals(35, summary.operator("filter_quotes").rowsOut());
    assertEquals(35, summary.operator("enrich_quotes").detail("matched"));
    assertEquals(20, summary.operator("enrich_quotes").detail("reference_rows"));
    assertEquals(0, summary.rejectedRecords());
  }

  @Test
  void shouldRunTheBadlyWrittenExampleAsTheWellWrittenOne(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("enriched.csv");
    JobGraph graph = withCsvSink(EXAMPLES.resolve("badly_written_enrichment.yaml"), out);
    io.sabot.optimizer.OptimizedJob optimized = new io.sabot.optimizer.PlanOptimizer().optimize(graph);
    String explain = io.sabot.optimizer.PlanExplainer.text(optimized);
    assertEquals(true, explain.contains("PushDownFilter: pushed filter_quotes (price > 100) below "
        + "HASH_JOIN enrich_quotes into its stream input"), explain);
    assertEquals(true, explain.contains("load_securities no longer reads [SECTOR, EXCHANGE, STATUS, "
        + "DESCRIPTION, F0, F1, F2, F3, F4, F5, F6, F7]"), explain);
    new JobManager().submitJob(optimized);
    assertEquals(ExpectedRows.workloadEnrichment(1_000, 10_000), ExpectedRows.readCsv(out));
  }

  @Test
  void shouldKeepTheCommittedExpectedOutputTrue() throws Exception {
    // expected_enriched_quotes.csv is what other modules' tests (Kafka) compare against
    assertEquals(ExpectedRows.localEnrichment(EXAMPLES, 150),
        ExpectedRows.readCsv(EXAMPLES.resolve("expected_enriched_quotes.csv")));
  }

  @Test
  void shouldGiveTheSameRowsThroughTheJavaApi(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("enriched.csv");
    new JobManager().submitJob(LocalEnrichment.graph(EXAMPLES, out));
    assertEquals(ExpectedRows.localEnrichment(EXAMPLES, 150), ExpectedRows.readCsv(out));
  }

  @Test
  void shouldEnrichTheDistributedExamplesWorkload(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("enriched.csv");
    JobSummary summary = new JobManager()
        .submitJob(withCsvSink(EXAMPLES.resolve("distributed_enrichment.yaml"), out)).summary();
    List<List<String>> expected = ExpectedRows.workloadEnrichment(1_000, 10_000);
    assertEquals(expected, ExpectedRows.readCsv(out));
    assertEquals(479, expected.size() - 1);
    assertEquals(506, summary.operator("filter_quotes").rowsOut());
    assertEquals(27, summary.operator("enrich_quotes").detail("unmatched"));
  }
}
