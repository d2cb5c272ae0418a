package io.sabot.optimizer.rule;

import static io.sabot.optimizer.Plans.QUOTES;
import static io.sabot.optimizer.Plans.SECURITIES;
import static io.sabot.optimizer.Plans.job;
import static io.sabot.optimizer.Plans.op;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.graph.JobGraph;
import io.sabot.optimizer.PlanContext;
import io.sabot.optimizer.PlanExplainer;
import io.sabot.optimizer.RuleOutcome;
import io.sabot.plan.JobPlanner;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushDownProjectionTest {
  private static RuleOutcome project(JobGraph g) {
    return new PushDownProjection().apply(g, new PlanContext());
  }

  @Test
  void shouldReadOnlyTheColumnsTheJobUses() {
    JobGraph g = job(QUOTES + SECURITIES
            + op("enrich", "HASH_JOIN", "{left_key: instrumentId, right_key: ID}")
            + op("f", "FILTER", "{column: STATUS, operator: '==', value: ACTIVE}")
            + op("pick", "SELECT", "{columns: [instrumentId, price, {NAME: name}]}")
            + op("out", "SINK", "{discard: true}"),
        "[quotes, enrich]", "[securities, enrich]", "[enrich, f]", "[f, pick]", "[pick, out]");
    RuleOutcome outcome = project(g);
    assertEquals(String.join("\n",
        "out SINK discard=true  -> [instrumentId, price, name]",
        "  pick SELECT instrumentId, price, NAME as name  -> [instrumentId, price, name]",
        "    f FILTER STATUS == 'ACTIVE'  -> [instrumentId, price, NAME, STATUS]",
        "      enrich HASH_JOIN instrumentId = ID, inner  -> [instrumentId, price, NAME, STATUS]",
        "        stream: project_quotes SELECT instrumentId, price  -> [instrumentId, price]",
        "          quotes SOURCE generator=quotes rows=2000 reference_rows=100  -> [instrumentId, price, size, ts]",
        "        reference: project_securities SELECT ID, NAME, STATUS  -> [ID, NAME, STATUS]",
        "          securities SOURCE generator=securities rows=100  -> [ID, CUSIP, NAME, SECTOR, EXCHANGE, STATUS, DESCRIPTION, F0, F1, F2, F3, F4, F5, F6, F7]",
        ""), PlanExplainer.tree(outcome.plan()));
    assertEquals(2L, outcome.counters().get("columns_pruned.quotes"));
    assertEquals(12L, outcome.counters().get("columns_pruned.securities"));
    // the scan itself is narrowed: the source decodes two columns
    assertEquals(List.of("instrumentId", "price"), JobPlanner.plan(outcome.plan()).sinks().get(0)
        .stream().readColumns().names());
  }

  @Test
  void shouldNarrowAnExistingSelectAndKeepColumnsThatSteerRenaming() {
    JobGraph g = job(QUOTES
            + op("ref", "SOURCE", "{generator: quotes, rows: 50, reference_rows: 100}")
            + op("keep", "SELECT", "{columns: [instrumentId, price, size]}")
            + op("enrich", "HASH_JOIN", "{left_key: instrumentId, right_key: instrumentId}")
            + op("pick", "SELECT", "{columns: [instrumentId, price_right]}")
            + op("out", "SINK", "{discard: true}"),
        "[quotes, enrich]", "[ref, keep]", "[keep, enrich]", "[enrich, pick]", "[pick, out]");
    RuleOutcome outcome = project(g);
    // price_right exists only while the stream keeps its own price column: it is kept
    assertEquals(List.of("instrumentId", "price"), outcome.plan().operator("keep").parameter("columns"));
    assertEquals(List.of("instrumentId", "price"),
        outcome.plan().operator("project_quotes").parameter("columns"));
  }

  @Test
  void shouldNarrowASelectThatAFilterSeparatesFromItsSource() {
    JobGraph g = job(QUOTES
            + op("f", "FILTER", "{column: size, operator: '>', value: 10}")
            + op("pick", "SELECT", "{columns: [instrumentId, price, ts]}")
            + op("pick2", "SELECT", "{columns: [price]}")
            + op("out", "SINK", "{discard: true}"),
        "[quotes, f]", "[f, pick]", "[pick, pick2]", "[pick2, out]");
    JobGraph r = project(g).plan();
    assertEquals(List.of("price"), r.operator("pick").parameter("columns"));
    assertEquals(List.of("price", "size"), r.operator("project_quotes").parameter("columns"));
    JobPlanner.plan(r); // still a valid plan
  }

  @Test
  void shouldKeepBothSidesWholeWhenPruningWouldRenameAReferenceColumn() {
    // the stream has NAME and NAME_right; the reference NAME becomes NAME_right_right
    JobGraph g = job(QUOTES
            + op("names", "SELECT", "{columns: [instrumentId, {price: NAME}, {size: NAME_right}]}")
            + SECURITIES
            + op("enrich", "HASH_JOIN", "{left_key: instrumentId, right_key: ID}")
            + op("pick", "SELECT", "{columns: [NAME_right_right]}")
            + op("out", "SINK", "{discard: true}"),
        "[quotes, names]", "[names, enrich]", "[securities, enrich]", "[enrich, pick]", "[pick, out]");
    JobGraph r = project(g).plan();
    assertEquals(JobPlanner.schemas(g).get("out"), JobPlanner.schemas(r).get("out"));
  }

  @Test
  void shouldNotFireWhenEveryColumnIsUsed() {
    JobGraph g = job(QUOTES + op("out", "SINK", "{discard: true}"), "[quotes, out]");
    assertEquals(List.of(), project(g).changes());
  }
}
