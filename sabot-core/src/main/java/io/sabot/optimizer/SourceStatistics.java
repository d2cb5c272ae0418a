package io.sabot.optimizer;

import io.sabot.connect.SourceCatalog;
import io.sabot.error.InvalidJobException;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import java.util.OptionalLong;

/**
 * Row counts the optimizer can know before running: what each source says of itself
 * ({@link io.sabot.connect.Source#estimatedRows()}: a generator's {@code rows}, a memory table's
 * row count, CSV or JSON-lines files (every file of a folder or glob) by their size and average
 * line length), the source taken from the job's {@link SourceCatalog} so nothing is opened
 * twice; each FILTER above keeps an assumed third (the classic default selectivity). Unknown
 * otherwise.
 */
public final class SourceStatistics {
  private static final double FILTER_SELECTIVITY = 1.0 / 3;

  private SourceStatistics() {}

  /** Estimated rows coming out of operator {@code id} (a chain of FILTER/SELECT over a source). */
  public static OptionalLong estimateRows(JobGraph g, String id, SourceCatalog sources) {
    double factor = 1;
    StreamOperatorNode n = g.operator(id);
    while (n.operatorType() == OperatorType.FILTER || n.operatorType() == OperatorType.SELECT) {
      if (n.operatorType() == OperatorType.FILTER) factor *= FILTER_SELECTIVITY;
      n = g.operator(g.inputs(n.operatorId()).get(0));
    }
    if (n.operatorType() != OperatorType.SOURCE) return OptionalLong.empty();
    OptionalLong rows;
    try {
      rows = sources.source(n, g.baseDirectory()).estimatedRows();
    } catch (InvalidJobException e) {
      return OptionalLong.empty(); // reported when the plan's schemas are resolved
    }
    return rows.isPresent() ? OptionalLong.of(Math.round(rows.getAsLong() * factor)) : rows;
  }
}
