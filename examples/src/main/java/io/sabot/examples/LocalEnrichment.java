package io.sabot.examples;

import io.sabot.exec.JobManager;
import io.sabot.exec.JobResult;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The seed's local enrichment, written with the Java API: 100 quotes, filtered to price > 150,
 * enriched with 20 securities (ID, CUSIP, NAME, SECTOR), written to a CSV file.
 *
 * <pre>
 *   load_quotes ─► filter_quotes ─► enrich_quotes ─► output
 *                                        ▲
 *   load_securities ─► select_securities ┘
 * </pre>
 *
 * Run from the repository root with the example's folder as the argument:
 * {@code java -cp ... io.sabot.examples.LocalEnrichment examples/stream-enrichment out.csv}
 */
public final class LocalEnrichment {
  private LocalEnrichment() {}

  /** The job as a graph; {@code dataDir} holds quotes.csv and securities.csv. */
  public static JobGraph graph(Path dataDir, Path output) {
    JobGraph graph = new JobGraph("local_enrichment");

    StreamOperatorNode quotes = new StreamOperatorNode(OperatorType.SOURCE, "load_quotes", Map.of(
        "path", dataDir.resolve("quotes.csv").toString(),
        "format", "csv",
        "schema", Map.of("instrumentId", "int64", "price", "float64", "size", "int64", "ts", "int64")));
    StreamOperatorNode filter = new StreamOperatorNode(OperatorType.FILTER, "filter_quotes",
        Map.of("column", "price", "operator", ">", "value", 150));
    StreamOperatorNode securities = new StreamOperatorNode(OperatorType.SOURCE, "load_securities",
        Map.of("path", dataDir.resolve("securities.csv").toString(), "format", "csv"));
    StreamOperatorNode select = new StreamOperatorNode(OperatorType.SELECT, "select_securities",
        Map.of("columns", List.of("ID", "CUSIP", "NAME", "SECTOR")));
    StreamOperatorNode join = new StreamOperatorNode(OperatorType.HASH_JOIN, "enrich_quotes",
        Map.of("left_key", "instrumentId", "right_key", "ID", "join_type", "inner"));
    StreamOperatorNode sink = new StreamOperatorNode(OperatorType.SINK, "output",
        Map.of("path", output.toString(), "format", "csv"));

    for (StreamOperatorNode n : List.of(quotes, filter, securities, select, join, sink)) {
      graph.addOperator(n);
    }
    graph.connect(quotes.operatorId(), filter.operatorId());
    graph.connect(filter.operatorId(), join.operatorId());        // first input: the stream
    graph.connect(securities.operatorId(), select.operatorId());
    graph.connect(select.operatorId(), join.operatorId());        // second: the reference table
    graph.connect(join.operatorId(), sink.operatorId());
    return graph;
  }

  public static void main(String[] args) {
    Path dataDir = Path.of(args.length > 0 ? args[0] : "examples/stream-enrichment");
    Path output = Path.of(args.length > 1 ? args[1] : "enriched_quotes.csv");
    JobResult result = new JobManager().submitJob(graph(dataDir, output));
    System.out.print(result.summary().format());
    System.out.println("enriched quotes written to " + output.toAbsolutePath());
  }
}
