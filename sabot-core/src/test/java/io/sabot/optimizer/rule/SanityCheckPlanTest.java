package io.sabot.optimizer.rule;

import static io.sabot.optimizer.Plans.QUOTES;
import static io.sabot.optimizer.Plans.job;
import static io.sabot.optimizer.Plans.op;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sabot.error.SabotBug;
import io.sabot.error.InvalidJobException;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.optimizer.PlanContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SanityCheckPlan fails loudly, as a bug in Sabot, when the optimized plan lost a sink or changed
 * its columns, and passes a plan that still gives every sink the same columns.
 */
class SanityCheckPlanTest {
  private final JobGraph g = job(QUOTES + op("out", "SINK", "{discard: true}"), "[quotes, out]");

  @Test
  void shouldFailLoudlyWhenARuleRemovesASink() {
    JobGraph noSink = g.copy();
    noSink.removeOperator("out");
    noSink.addOperator(new StreamOperatorNode(OperatorType.SINK, "other", Map.of("discard", true)));
    noSink.connect("quotes", "other");
    SabotBug bug = assertThrows(SabotBug.class,
        () -> SanityCheckPlan.check(g, noSink, new PlanContext()));
    assertEquals("Internal error: the optimizer removed sink out; this is a bug in Sabot; please "
        + "report it", bug.getMessage());
  }

  @Test
  void shouldFailLoudlyWhenARuleChangesTheColumnsOfASink() {
    JobGraph narrowed = g.copy();
    narrowed.insertBetween("quotes", "out", new StreamOperatorNode(OperatorType.SELECT, "s",
        Map.of("columns", List.of("price"))));
    SabotBug bug = assertThrows(SabotBug.class,
        () -> SanityCheckPlan.check(g, narrowed, new PlanContext()));
    assertEquals("Internal error: the optimizer changed the columns of sink out from "
        + "[instrumentId:int64, price:float64, size:int64, ts:int64] to [price:float64]; this is a "
        + "bug in Sabot; please report it", bug.getMessage());
  }

  @Test
  void shouldFailLoudlyWhenARuleProducesAnInvalidPlan() {
    JobGraph broken = g.copy();
    broken.insertBetween("quotes", "out", new StreamOperatorNode(OperatorType.FILTER, "f",
        Map.of("column", "prise", "operator", ">", "value", 1)));
    SabotBug bug = assertThrows(SabotBug.class,
        () -> SanityCheckPlan.check(g, broken, new PlanContext()));
    assertEquals("Internal error: the optimizer produced an invalid plan: Invalid job: column=prise "
        + "not found in operator f; available: instrumentId, price, size, ts; this is a bug in Sabot; "
        + "please report it", bug.getMessage());
  }

  @Test
  void shouldReportAPlanThatWasInvalidBeforeOptimizingAsTheUsersError() {
    JobGraph invalid = job(QUOTES + op("f", "FILTER", "{column: prise, operator: '>', value: 1}")
        + op("out", "SINK", "{discard: true}"), "[quotes, f]", "[f, out]");
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> SanityCheckPlan.check(invalid, invalid.copy(), new PlanContext()));
    assertEquals(List.of("column=prise not found in operator f; available: instrumentId, price, size, "
        + "ts"), e.problems());
  }

  @Test
  void shouldPassAPlanThatGivesEverySinkTheSameColumns() {
    JobGraph filtered = g.copy();
    filtered.insertBetween("quotes", "out", new StreamOperatorNode(OperatorType.FILTER, "f",
        Map.of("column", "price", "operator", ">", "value", 1)));
    SanityCheckPlan.check(g, g.copy(), new PlanContext());
    SanityCheckPlan.check(g, filtered, new PlanContext());
  }
}
