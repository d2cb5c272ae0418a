package io.sabot.bench;

import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The jobs the benchmark runs: docs/workload.md's query written well (the seed's pipeline), and
 * written badly for the optimizer comparison. {@code --live-updates} runs the well-written job
 * with the securities read from {@code live_securities} ({@link LiveSecuritiesConnector}).
 *
 * <pre>
 *   well:   quotes ─► filter price > 100 ─► join ─► output        (7 columns come out of the join)
 *           securities ─► select ID, CUSIP, NAME, SECTOR ─┘
 *
 *   badly:  quotes ─► join ─► filter price > 100 ─► select the 7 columns ─► output
 *           securities (all 15 columns) ─┘
 * </pre>
 */
final class BenchJobs {
  static final List<String> OUTPUT_COLUMNS = List.of("instrumentId", "price", "size", "ts", "CUSIP",
      "NAME", "SECTOR");

  private BenchJobs() {}

  static JobGraph wellWritten(Workload data, BenchOptions options) {
    return wellWritten(data, options, data.securitiesSource());
  }

  /** The well-written job with the securities read by the SOURCE parameters {@code securities}. */
  static JobGraph wellWritten(Workload data, BenchOptions options, Map<String, Object> securities) {
    return wellWritten(data, options, securities, Map.of());
  }

  /** As above, with {@code joinParameters} added to the HASH_JOIN's. */
  static JobGraph wellWritten(Workload data, BenchOptions options, Map<String, Object> securities,
                              Map<String, Object> joinParameters) {
    Map<String, Object> join = new LinkedHashMap<>(join(options));
    join.putAll(joinParameters);
    return enrichment("bench_enrichment", data.quotesSource(), securities, join, sink(options));
  }

  /**
   * The well-written job's graph from the parameters of its quotes and securities sources, its
   * join and its sink: filter the quotes, select the securities' four columns, join, write.
   */
  static JobGraph enrichment(String name, Map<String, Object> quotes,
                             Map<String, Object> securities, Map<String, Object> join,
                             Map<String, Object> sink) {
    JobGraph g = new JobGraph(name);
    add(g, OperatorType.SOURCE, "load_quotes", quotes);
    add(g, OperatorType.FILTER, "filter_quotes", priceFilter());
    add(g, OperatorType.SOURCE, "load_securities", securities);
    add(g, OperatorType.SELECT, "select_securities",
        Map.of("columns", List.of("ID", "CUSIP", "NAME", "SECTOR")));
    add(g, OperatorType.HASH_JOIN, "enrich_quotes", join);
    add(g, OperatorType.SINK, "output", sink);
    g.connect("load_quotes", "filter_quotes");
    g.connect("filter_quotes", "enrich_quotes");
    g.connect("load_securities", "select_securities");
    g.connect("select_securities", "enrich_quotes");
    g.connect("enrich_quotes", "output");
    return g;
  }

  static JobGraph badlyWritten(Workload data, BenchOptions options) {
    JobGraph g = new JobGraph("bench_enrichment_as_written");
    add(g, OperatorType.SOURCE, "load_quotes", data.quotesSource());
    add(g, OperatorType.SOURCE, "load_securities", data.securitiesSource());
    add(g, OperatorType.HASH_JOIN, "enrich_quotes", join(options));
    add(g, OperatorType.FILTER, "filter_quotes", priceFilter());
    add(g, OperatorType.SELECT, "select_output", Map.of("columns", OUTPUT_COLUMNS));
    add(g, OperatorType.SINK, "output", sink(options));
    g.connect("load_quotes", "enrich_quotes");
    g.connect("load_securities", "enrich_quotes");
    g.connect("enrich_quotes", "filter_quotes");
    g.connect("filter_quotes", "select_output");
    g.connect("select_output", "output");
    return g;
  }

  private static Map<String, Object> priceFilter() {
    return Map.of("column", "price", "operator", ">", "value", 100);
  }

  private static Map<String, Object> join(BenchOptions options) {
    Map<String, Object> m = new LinkedHashMap<>(Map.of("left_key", "instrumentId", "right_key", "ID",
        "join_type", options.join().jobText()));
    if (!"memory".equals(options.stateBackend())) m.put("state_backend", options.stateBackend());
    return m;
  }

  private static Map<String, Object> sink(BenchOptions options) {
    switch (options.sink()) {
      case DEVNULL: { // in this order in the plan the report prints
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", "/dev/null");
        m.put("format", "arrow");
        if (options.dictionaryStrings()) m.put("strings", "dictionary");
        return m;
      }
      case BATCHES: {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("discard", true);
        m.put("materialize", true);
        if (options.dictionaryStrings()) m.put("strings", "dictionary");
        return m;
      }
      default: return Map.of("discard", true);
    }
  }

  private static void add(JobGraph g, OperatorType type, String name, Map<String, ?> parameters) {
    g.addOperator(new StreamOperatorNode(type, name, parameters));
  }
}
