package io.sabot.rocksdb;

import io.sabot.exec.ExecutionOptions;
import io.sabot.exec.JobManager;
import io.sabot.exec.JobResult;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import java.util.List;
import java.util.Map;

/**
 * The job of {@link LargeTableUnderSmallHeapIT}, run in a child JVM with a small heap: N quotes
 * (price &gt; 100) joined with R securities (ID, NAME) from the generator, the table's backend
 * chosen by {@code auto} with the default budget (a quarter of the heap). Prints the summary.
 * Arguments: N R.
 */
public final class LargeTableJob {
  private LargeTableJob() {}

  public static void main(String[] args) {
    long n = Long.parseLong(args[0]);
    long r = Long.parseLong(args[1]);
    JobResult result = new JobManager(ExecutionOptions.defaults().withThreads(2), null)
        .submitJob(graph(n, r, Map.of("state_backend", "auto")));
    System.out.print(result.summary().format());
  }

  /** quotes ─► price &gt; 100 ─► join securities (ID, NAME) ─► discard. */
  static JobGraph graph(long n, long r, Map<String, Object> state) {
    JobGraph g = new JobGraph("large_reference_table");
    g.addOperator(new StreamOperatorNode(OperatorType.SOURCE, "quotes",
        Map.of("generator", "quotes", "rows", n, "reference_rows", r)));
    g.addOperator(new StreamOperatorNode(OperatorType.FILTER, "expensive",
        Map.of("column", "price", "operator", ">", "value", 100)));
    g.addOperator(new StreamOperatorNode(OperatorType.SOURCE, "securities",
        Map.of("generator", "securities", "rows", r)));
    g.addOperator(new StreamOperatorNode(OperatorType.SELECT, "names",
        Map.of("columns", List.of("ID", "NAME"))));
    java.util.Map<String, Object> join = new java.util.LinkedHashMap<>(Map.of("left_key",
        "instrumentId", "right_key", "ID"));
    join.putAll(state);
    g.addOperator(new StreamOperatorNode(OperatorType.HASH_JOIN, "enrich", join));
    g.addOperator(new StreamOperatorNode(OperatorType.SINK, "out", Map.of("discard", true)));
    g.connect("quotes", "expensive");
    g.connect("expensive", "enrich");
    g.connect("securities", "names");
    g.connect("names", "enrich");
    g.connect("enrich", "out");
    return g;
  }
}
