package io.sabot.optimizer.rule;

import static io.sabot.optimizer.Plans.QUOTES;
import static io.sabot.optimizer.Plans.job;
import static io.sabot.optimizer.Plans.op;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.expr.Condition;
import io.sabot.expr.Conditions;
import io.sabot.graph.JobGraph;
import io.sabot.optimizer.PlanContext;
import io.sabot.optimizer.RuleOutcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DetectContradictions warns about a chain of filters no row can pass, and changes nothing. */
class DetectContradictionsTest {
  @Test
  void shouldWarnAboutFiltersThatCanNeverBothBeTrue() {
    JobGraph g = job(QUOTES
            + op("f1", "FILTER", "{column: price, operator: '>', value: 100}")
            + op("f2", "FILTER", "{column: price, operator: '<', value: 50}")
            + op("out", "SINK", "{discard: true}"),
        "[quotes, f1]", "[f1, f2]", "[f2, out]");
    RuleOutcome outcome = new DetectContradictions().apply(g, new PlanContext());
    assertEquals(List.of("filters f2 (price < 50) and f1 (price > 100) can never both be true: "
        + "no row passes f2; check the conditions"), outcome.warnings());
    assertEquals(g, outcome.plan());
    assertTrue(DetectContradictions.disjoint(pred("x", "==", "a"), pred("x", "==", "b")));
    assertTrue(DetectContradictions.disjoint(pred("x", ">=", 5), pred("x", "<", 5)));
    assertEquals(false, DetectContradictions.disjoint(pred("x", ">=", 5), pred("x", "<=", 5)));
    assertEquals(false, DetectContradictions.disjoint(pred("x", "!=", 5), pred("x", "<=", 5)));
  }

  @Test
  void shouldStayQuietWhenSomeRowCanPassEveryFilter() {
    JobGraph g = job(QUOTES
            + op("f1", "FILTER", "{column: price, operator: '>', value: 50}")
            + op("f2", "FILTER", "{column: price, operator: '<', value: 100}")
            + op("f3", "FILTER", "{column: size, operator: '==', value: 5}")
            + op("out", "SINK", "{discard: true}"),
        "[quotes, f1]", "[f1, f2]", "[f2, f3]", "[f3, out]");
    RuleOutcome outcome = new DetectContradictions().apply(g, new PlanContext());
    assertEquals(List.of(), outcome.warnings());
    assertEquals(List.of(), outcome.changes());
    assertEquals(Map.of(), outcome.counters());
    assertEquals(g, outcome.plan());
  }

  private static Condition.Predicate pred(String c, String op, Object v) {
    return (Condition.Predicate) Conditions.parse(Map.of("column", c, "operator", op, "value", v));
  }
}
