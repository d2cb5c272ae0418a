package io.sabot.optimizer.rule;

import static io.sabot.optimizer.Plans.QUOTES;
import static io.sabot.optimizer.Plans.SECURITIES;
import static io.sabot.optimizer.Plans.job;
import static io.sabot.optimizer.Plans.op;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.graph.JobGraph;
import io.sabot.optimizer.PlanContext;
import io.sabot.optimizer.RuleOutcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** EliminateDeadOperators removes what reaches no sink, and nothing else. */
class EliminateDeadOperatorsTest {
  @Test
  void shouldRemoveOperatorsThatReachNoSink() {
    JobGraph g = job(QUOTES + SECURITIES
            + op("unused", "FILTER", "{column: STATUS, operator: '==', value: ACTIVE}")
            + op("out", "SINK", "{discard: true}"),
        "[quotes, out]", "[securities, unused]");
    RuleOutcome outcome = new EliminateDeadOperators().apply(g, new PlanContext());
    assertEquals(List.of("removed SOURCE securities: its rows reach no sink",
        "removed FILTER unused: its rows reach no sink"), outcome.changes());
    assertEquals(2, outcome.plan().operators().size());
    assertEquals(2L, outcome.counters().get("dead_code_eliminated"));
  }

  @Test
  void shouldKeepEveryOperatorWhenAllReachASink() {
    JobGraph g = job(QUOTES + SECURITIES
            + op("f", "FILTER", "{column: price, operator: '>', value: 1}")
            + op("enrich", "HASH_JOIN", "{left_key: instrumentId, right_key: ID}")
            + op("out", "SINK", "{discard: true}"),
        "[quotes, f]", "[f, enrich]", "[securities, enrich]", "[enrich, out]");
    RuleOutcome outcome = new EliminateDeadOperators().apply(g, new PlanContext());
    assertEquals(List.of(), outcome.changes());
    assertEquals(Map.of(), outcome.counters());
    assertEquals(g, outcome.plan());
  }
}
