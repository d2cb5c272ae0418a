package io.sabot.optimizer.rule;

import static io.sabot.optimizer.Plans.QUOTES;
import static io.sabot.optimizer.Plans.job;
import static io.sabot.optimizer.Plans.op;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.graph.JobGraph;
import io.sabot.optimizer.PlanContext;
import io.sabot.optimizer.RuleOutcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SplitConjunctions turns an {@code all} into a chain of filters, and leaves other filters be. */
class SplitConjunctionsTest {
  @Test
  void shouldSplitAnAllIntoAChainOfFilters() {
    JobGraph g = job(QUOTES
            + op("f", "FILTER", "{all: [{column: price, operator: '>', value: 1}, "
                + "{column: size, operator: '<', value: 5}, {column: ts, operator: is not null}]}")
            + op("out", "SINK", "{discard: true}"),
        "[quotes, f]", "[f, out]");
    RuleOutcome outcome = new SplitConjunctions().apply(g, new PlanContext());
    JobGraph split = outcome.plan();
    assertEquals(List.of("f.2"), split.inputs("f"));
    assertEquals(List.of("f.3"), split.inputs("f.2"));
    assertEquals(List.of("quotes"), split.inputs("f.3"));
    assertEquals(Map.of("column", "ts", "operator", "is not null"), split.operator("f.3").parameters());
    assertEquals(List.of("split f (price > 1 and size < 5 and ts is not null) into 3 filters"),
        outcome.changes());
  }

  @Test
  void shouldLeaveASinglePredicateAndAnAnyAsTheyAre() {
    JobGraph g = job(QUOTES
            + op("one", "FILTER", "{column: price, operator: '>', value: 1}")
            + op("either", "FILTER", "{any: [{column: price, operator: '>', value: 1}, "
                + "{column: size, operator: '<', value: 5}]}")
            + op("out", "SINK", "{discard: true}"),
        "[quotes, one]", "[one, either]", "[either, out]");
    RuleOutcome outcome = new SplitConjunctions().apply(g, new PlanContext());
    assertEquals(List.of(), outcome.changes());
    assertEquals(g, outcome.plan());
  }
}
