package io.sabot.optimizer.rule;

import static io.sabot.optimizer.Plans.QUOTES;
import static io.sabot.optimizer.Plans.job;
import static io.sabot.optimizer.Plans.op;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.graph.JobGraph;
import io.sabot.optimizer.PlanContext;
import io.sabot.optimizer.RuleOutcome;
import io.sabot.plan.JobPlanner;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReorderJoinsTest {
  private static JobGraph twoJoins(String secondJoinType) {
    return job(QUOTES
            + op("big", "SOURCE", "{generator: securities, rows: 100}")
            + op("small", "SOURCE", "{generator: securities, rows: 10}")
            + op("j1", "HASH_JOIN", "{left_key: instrumentId, right_key: ID}")
            + op("j2", "HASH_JOIN", "{left_key: instrumentId, right_key: ID, join_type: " + secondJoinType + "}")
            + op("out", "SINK", "{discard: true}"),
        "[quotes, j1]", "[big, j1]", "[j1, j2]", "[small, j2]", "[j2, out]");
  }

  @Test
  void shouldProbeTheSmallerTableFirstAndKeepTheColumns() {
    JobGraph g = twoJoins("inner");
    RuleOutcome outcome = new ReorderJoins().apply(g, new PlanContext());
    JobGraph r = outcome.plan();
    assertEquals(List.of("quotes", "small"), r.inputs("j2"));
    assertEquals(List.of("j2", "big"), r.inputs("j1"));
    assertEquals(List.of("restore_columns_j2"), r.inputs("out"));
    assertEquals(List.of("probe j2 (reference ~10 rows) before j1 (reference ~100 rows): the "
        + "smaller table is likely the more selective"), outcome.changes());
    assertEquals(JobPlanner.schemas(g).get("out"), JobPlanner.schemas(r).get("out"));
  }

  @Test
  void shouldNotReorderALeftOuterJoin() {
    assertEquals(List.of(), new ReorderJoins().apply(twoJoins("left"), new PlanContext()).changes());
  }
}
