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

/** FuseOperators names the operators that share one pass per batch, and changes nothing. */
class FuseOperatorsTest {
  @Test
  void shouldDescribeTheFusedPasses() {
    JobGraph g = job(QUOTES + SECURITIES
            + op("f", "FILTER", "{column: price, operator: '>', value: 100}")
            + op("enrich", "HASH_JOIN", "{left_key: instrumentId, right_key: ID}")
            + op("out", "SINK", "{discard: true}"),
        "[quotes, f]", "[f, enrich]", "[securities, enrich]", "[enrich, out]");
    RuleOutcome outcome = new FuseOperators().apply(g, new PlanContext());
    assertEquals(List.of("one pass per batch of quotes: f -> enrich -> sink out"), outcome.changes());
    assertEquals(2L, outcome.counters().get("operators_fused"));
    assertEquals(g, outcome.plan());
  }

  @Test
  void shouldNameNoPassWhenASourceFeedsItsSinkDirectly() {
    JobGraph g = job(QUOTES + op("out", "SINK", "{discard: true}"), "[quotes, out]");
    RuleOutcome outcome = new FuseOperators().apply(g, new PlanContext());
    assertEquals(List.of(), outcome.changes());
    assertEquals(Map.of(), outcome.counters());
  }
}
