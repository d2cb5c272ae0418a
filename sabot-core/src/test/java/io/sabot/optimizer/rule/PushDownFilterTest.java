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
import java.util.List;
import org.junit.jupiter.api.Test;

class PushDownFilterTest {
  private static final String JOIN_THEN_FILTER = QUOTES + SECURITIES
      + op("enrich", "HASH_JOIN", "{left_key: instrumentId, right_key: ID, join_type: %s}")
      + op("f", "FILTER", "%s")
      + op("out", "SINK", "{discard: true}");

  private static JobGraph joinThenFilter(String joinType, String filter) {
    return job(String.format(JOIN_THEN_FILTER, joinType, filter), "[quotes, enrich]",
        "[securities, enrich]", "[enrich, f]", "[f, out]");
  }

  private static RuleOutcome push(JobGraph g) {
    PlanContext context = new PlanContext();
    return new PushDownFilter().apply(new SplitConjunctions().apply(g, context).plan(), context);
  }

  @Test
  void shouldMoveAStreamConditionBelowTheJoin() {
    JobGraph before = joinThenFilter("inner", "{column: price, operator: '>', value: 100}");
    RuleOutcome outcome = push(before);
    assertEquals(String.join("\n",
        "out SINK discard=true  -> [instrumentId, price, size, ts, CUSIP, NAME, SECTOR, EXCHANGE, STATUS, DESCRIPTION, F0, F1, F2, F3, F4, F5, F6, F7]",
        "  enrich HASH_JOIN instrumentId = ID, inner  -> [instrumentId, price, size, ts, CUSIP, NAME, SECTOR, EXCHANGE, STATUS, DESCRIPTION, F0, F1, F2, F3, F4, F5, F6, F7]",
        "    stream: f FILTER price > 100  -> [instrumentId, price, size, ts]",
        "      quotes SOURCE generator=quotes rows=2000 reference_rows=100  -> [instrumentId, price, size, ts]",
        "    reference: securities SOURCE generator=securities rows=100  -> [ID, CUSIP, NAME, SECTOR, EXCHANGE, STATUS, DESCRIPTION, F0, F1, F2, F3, F4, F5, F6, F7]",
        ""), PlanExplainer.tree(outcome.plan()));
    assertEquals(List.of("pushed f (price > 100) below HASH_JOIN enrich into its stream input"),
        outcome.changes());
    assertEquals(1L, outcome.counters().get("filters_pushed"));
    assertEquals("f", before.inputs("out").get(0), "the input plan is not changed");
  }

  @Test
  void shouldMoveAReferenceConditionIntoTheBuildOfAnInnerJoinThatKeepsEveryDuplicate() {
    RuleOutcome outcome = push(joinThenFilter("inner, on_duplicate: all",
        "{column: STATUS, operator: '==', value: ACTIVE}"));
    assertEquals(List.of("f"), outcome.plan().inputs("enrich").subList(1, 2));
    assertEquals(List.of("securities"), outcome.plan().inputs("f"));
  }

  @Test
  void shouldFilterTheBuiltTableWhenFilteringTheInputWouldChangeWhichDuplicateIsKept() {
    // on_duplicate last: of two rows with one key the later wins, then the filter judges it;
    // filtering the input first could let the earlier row win instead.
    for (String dup : List.of("last", "first", "error")) {
      RuleOutcome outcome = push(joinThenFilter("inner, on_duplicate: " + dup,
          "{column: STATUS, operator: '==', value: ACTIVE}"));
      assertEquals(List.of("moved f (STATUS == 'ACTIVE') into HASH_JOIN enrich as reference_filter "
          + "(STATUS == 'ACTIVE'): applied once per reference row, after duplicates are resolved"),
          outcome.changes(), dup);
      assertEquals(List.of("enrich"), outcome.plan().inputs("out"));
      assertEquals(java.util.Map.of("column", "STATUS", "operator", "==", "value", "ACTIVE"),
          outcome.plan().operator("enrich").parameter("reference_filter"));
    }
  }

  @Test
  void shouldNotPushAConditionTrueOnNullsIntoALeftOuterJoin() {
    RuleOutcome outcome = push(joinThenFilter("left outer", "{column: NAME, operator: is null}"));
    assertEquals(List.of(), outcome.changes());
    assertEquals(List.of("enrich"), outcome.plan().inputs("f"));
  }

  @Test
  void shouldTurnALeftOuterJoinInnerWhenTheFilterDropsItsNullRows() {
    RuleOutcome outcome = push(joinThenFilter("left, on_duplicate: all",
        "{column: SECTOR, operator: in, value: [Energy]}"));
    assertEquals("inner", outcome.plan().operator("enrich").parameter("join_type"));
    assertEquals("all", outcome.plan().operator("enrich").parameter("on_duplicate"));
    assertEquals(List.of("securities"), outcome.plan().inputs("f"));
    assertEquals(1L, outcome.counters().get("joins_simplified"));
  }

  @Test
  void shouldSplitMixedConditionsAndKeepTheOneReadingBothSides() {
    RuleOutcome outcome = push(joinThenFilter("inner", "{all: ["
        + "{column: price, operator: '>', value: 100}, "
        + "{any: [{column: size, operator: '<', value: 10}, {column: SECTOR, operator: '==', value: Energy}]}]}"));
    JobGraph g = outcome.plan();
    assertEquals(List.of("f.2"), g.inputs("out"));    // reads size and SECTOR: stays above
    assertEquals(List.of("enrich"), g.inputs("f.2"));
    assertEquals(List.of("quotes"), g.inputs("f"));   // price: below, on the stream
  }

  @Test
  void shouldRenameColumnsBackWhenPassingASelect() {
    JobGraph g = job(QUOTES
            + op("pick", "SELECT", "{columns: [{price: px}, instrumentId]}")
            + op("f", "FILTER", "{column: px, operator: '<', value: 20}")
            + op("out", "SINK", "{discard: true}"),
        "[quotes, pick]", "[pick, f]", "[f, out]");
    RuleOutcome outcome = push(g);
    assertEquals("f FILTER price < 20", PlanExplainer.tree(outcome.plan()).lines()
        .filter(l -> l.contains("f FILTER")).findFirst().orElseThrow().trim().split("  ->")[0]);
    assertEquals(List.of("pushed f (px < 20) below SELECT pick as (price < 20)"), outcome.changes());
  }

  @Test
  void shouldPushAConditionOnARenamedReferenceColumnUnderItsOriginalName() {
    // both inputs have a column "price": the reference one is price_right after the join
    JobGraph g = job(QUOTES
            + op("ref", "SOURCE", "{generator: quotes, rows: 50, reference_rows: 100}")
            + op("enrich", "HASH_JOIN", "{left_key: instrumentId, right_key: instrumentId, on_duplicate: all}")
            + op("f", "FILTER", "{column: price_right, operator: '>', value: 150}")
            + op("out", "SINK", "{discard: true}"),
        "[quotes, enrich]", "[ref, enrich]", "[enrich, f]", "[f, out]");
    RuleOutcome outcome = push(g);
    assertEquals(List.of("pushed f (price_right > 150) below HASH_JOIN enrich into its reference "
        + "input as (price > 150)"), outcome.changes());
  }
}
