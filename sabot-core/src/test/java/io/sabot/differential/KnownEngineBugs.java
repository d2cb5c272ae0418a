package io.sabot.differential;

import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;

/**
 * Engine bugs this test found that are not fixed yet, recognised in the optimized plan, so that
 * the random jobs still check everything else. Each has a disabled regression case in
 * {@link EngineRegressionCasesTest}; delete its entry here once it is fixed.
 */
final class KnownEngineBugs {
  private KnownEngineBugs() {}

  /**
   * A HASH_JOIN's {@code reference_filter} (which PushDownFilter creates from a filter on
   * reference columns above a join with on_duplicate last or first) is bound to the column
   * positions of the reference input's SOURCE, but evaluated on the built table, whose columns
   * are the reference pipeline's output. When a SELECT between the two (the user's, or the
   * projection PushDownProjection inserts) reorders or drops columns, the filter reads another
   * column: wrong rows, or IndexOutOfBoundsException. True when the plan has such a join. See
   * {@code EngineRegressionCasesTest#shouldApplyAReferenceFilterToTheColumnItNames}.
   */
  static boolean referenceFilterBehindSelect(JobGraph plan) {
    for (StreamOperatorNode join : plan.operatorsOfType(OperatorType.HASH_JOIN)) {
      if (join.parameter("reference_filter") == null) continue;
      String in = plan.inputs(join.operatorId()).get(1);
      while (plan.operator(in).operatorType() != OperatorType.SOURCE) {
        if (plan.operator(in).operatorType() == OperatorType.SELECT) return true;
        in = plan.inputs(in).get(0);
      }
    }
    return false;
  }
}
