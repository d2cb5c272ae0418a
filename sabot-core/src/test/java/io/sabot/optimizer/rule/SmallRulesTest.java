package io.sabot.optimizer.rule;

import static io.sabot.optimizer.Plans.QUOTES;
import static io.sabot.optimizer.Plans.SECURITIES;
import static io.sabot.optimizer.Plans.job;
import static io.sabot.optimizer.Plans.op;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.error.SabotBug;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.optimizer.PlanContext;
import io.sabot.optimizer.RuleOutcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules that are a few lines each: dead operators, splitting, contradictions, fusion, sanity. */
class SmallRulesTest {
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
  void shouldSplitAnAllIntoAChainOfFilters() {
    JobGraph g = job(QUOTES
            + op("f", "FILTER", "{all: [{column: price, operator: '>', value: 1}, "
                + "{column: size, operator: '<', value: 5}, {column: ts, operator: is not null}]}")
            + op("out", "SINK", "{discard: true}"),
        "[quotes, f]", "[f, out]");
    JobGraph split = new SplitConjunctions().apply(g, new PlanContext()).plan();
    assertEquals(List.of("f.2"), split.inputs("f"));
    assertEquals(List.of("f.3"), split.inputs("f.2"));
    assertEquals(List.of("quotes"), split.inputs("f.3"));
    assertEquals(Map.of("column", "ts", "operator", "is not null"), split.operator("f.3").parameters());
  }

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
    assertTrue(DetectContradictions.disjoint(pred("x", "==", "a"), pred("x", "==", "b")));
    assertTrue(DetectContradictions.disjoint(pred("x", ">=", 5), pred("x", "<", 5)));
    assertEquals(false, DetectContradictions.disjoint(pred("x", ">=", 5), pred("x", "<=", 5)));
    assertEquals(false, DetectContradictions.disjoint(pred("x", "!=", 5), pred("x", "<=", 5)));
  }

  private static io.sabot.expr.Condition.Predicate pred(String c, String op, Object v) {
    return (io.sabot.expr.Condition.Predicate) io.sabot.expr.Conditions.parse(
        Map.of("column", c, "operator", op, "value", v));
  }

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
  }

  @Test
  void shouldFailLoudlyWhenARuleBreaksThePlan() {
    JobGraph g = job(QUOTES + op("out", "SINK", "{discard: true}"), "[quotes, out]");
    JobGraph noSink = g.copy();
    noSink.removeOperator("out");
    noSink.addOperator(new StreamOperatorNode(OperatorType.SINK, "other", Map.of("discard", true)));
    noSink.connect("quotes", "other");
    SabotBug bug = assertThrows(SabotBug.class,
        () -> SanityCheckPlan.check(g, noSink, new PlanContext()));
    assertEquals("Internal error: the optimizer removed sink out; this is a bug in Sabot; please "
        + "report it", bug.getMessage());
    JobGraph narrowed = g.copy();
    narrowed.insertBetween("quotes", "out", new StreamOperatorNode(OperatorType.SELECT, "s",
        Map.of("columns", List.of("price"))));
    bug = assertThrows(SabotBug.class, () -> SanityCheckPlan.check(g, narrowed, new PlanContext()));
    assertTrue(bug.getMessage().contains("changed the columns of sink out"), bug.getMessage());
  }
}
