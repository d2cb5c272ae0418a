package io.sabot.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.error.InvalidJobException;
import io.sabot.expr.CompareOp;
import io.sabot.expr.Condition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorSpecTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldReadAJoinWithItsDefaults() {
    JoinSpec spec = node(OperatorType.HASH_JOIN, "left_key", "id", "right_key", "ID")
        .spec(JoinSpec.class);
    assertEquals(new JoinSpec(List.of("id"), List.of("ID"), JoinType.INNER, OnDuplicate.LAST, null),
        spec);
  }

  @Test
  void shouldReadEverySpellingOfALeftOuterJoin() {
    for (String spelling : List.of("left", "LEFT OUTER", "left_outer", " Left  Outer ")) {
      assertEquals(JoinType.LEFT_OUTER, node(OperatorType.HASH_JOIN, "left_key", "id",
          "right_key", "ID", "join_type", spelling).spec(JoinSpec.class).joinType(), spelling);
    }
  }

  @Test
  void shouldReadCompositeKeysAndAReferenceFilter() {
    JoinSpec spec = node(OperatorType.HASH_JOIN, "left_key", List.of("a", "b"),
        "right_key", List.of("A", "B"), "on_duplicate", "all",
        "reference_filter", Map.of("column", "STATUS", "operator", "==", "value", "ACTIVE"))
        .spec(JoinSpec.class);
    assertEquals(List.of("a", "b"), spec.leftKey());
    assertEquals(OnDuplicate.ALL, spec.onDuplicate());
    assertEquals(new Condition.Predicate("STATUS", CompareOp.EQ, "ACTIVE"), spec.referenceFilter());
  }

  @Test
  void shouldReportEveryBadJoinParameterAtOnce() {
    InvalidJobException e = assertThrows(InvalidJobException.class, () ->
        node(OperatorType.HASH_JOIN, "left_key", "id", "join_type", "full", "on_duplicate",
            "newest", "key", "x").spec());
    assertEquals(List.of(
        "operator=op parameter=key is not a parameter of a HASH_JOIN; accepted: left_key, "
            + "right_key, join_type, on_duplicate, reference_filter, reference_partitioning, "
            + "state_backend, memory_budget, state_dir, reference_refresh_ms",
        "operator=op parameter=right_key is missing; give a column name or a list of column names",
        "operator=op parameter=join_type value=full is not supported; use inner or left outer "
            + "(also: left, left_outer)",
        "operator=op parameter=on_duplicate value=newest is not supported; use last, first, "
            + "error or all"), e.problems());
  }

  @Test
  void shouldReadASelectWithRenames() {
    SelectSpec spec = node(OperatorType.SELECT, "columns", List.of("id", Map.of("px", "price")))
        .spec(SelectSpec.class);
    assertEquals(List.of(new SelectColumn("id", "id"), new SelectColumn("px", "price")),
        spec.columns());
    assertEquals(List.of("id", "price"), spec.outputNames());
    assertEquals(Map.of("id", "id", "price", "px"), spec.inputNames());
  }

  @Test
  void shouldReadAFilterAsOneCondition() {
    FilterSpec spec = node(OperatorType.FILTER, "all", List.of(
        Map.of("column", "px", "operator", ">", "value", 1),
        Map.of("column", "sym", "operator", "is not null"))).spec(FilterSpec.class);
    assertEquals("px > 1 and sym is not null", spec.condition().toString());
  }

  @Test
  void shouldParseEachNodeOnce() {
    StreamOperatorNode join = node(OperatorType.HASH_JOIN, "left_key", "id", "right_key", "ID");
    assertSame(join.spec(), join.spec());
  }

  @Test
  void shouldGiveANodeTheParametersOfItsSpec() {
    JoinSpec spec = new JoinSpec(List.of("a", "b"), List.of("A", "B"), JoinType.LEFT_OUTER,
        OnDuplicate.FIRST, new Condition.Predicate("N", CompareOp.GT, 3));
    StreamOperatorNode node = StreamOperatorNode.of("j", spec);
    assertEquals(Map.of("left_key", List.of("a", "b"), "right_key", List.of("A", "B"),
        "join_type", "left outer", "on_duplicate", "first",
        "reference_filter", Map.of("column", "N", "operator", ">", "value", 3L)), node.parameters());
    assertEquals(spec, new StreamOperatorNode(OperatorType.HASH_JOIN, "j", node.parameters()).spec());
  }

  @Test
  void shouldWriteCoPartitioningAndParseItBackButLeaveTheDefaultOut() {
    JoinSpec spec = new JoinSpec(List.of("id"), List.of("ID"), JoinType.INNER, OnDuplicate.LAST,
        null, ReferencePartitioning.CO_PARTITIONED);
    StreamOperatorNode node = StreamOperatorNode.of("j", spec);
    assertEquals("co_partitioned", node.parameters().get("reference_partitioning"));
    assertEquals(spec, new StreamOperatorNode(OperatorType.HASH_JOIN, "j", node.parameters()).spec());
    JoinSpec broadcast = node(OperatorType.HASH_JOIN, "left_key", "id", "right_key", "ID")
        .spec(JoinSpec.class);
    assertEquals(ReferencePartitioning.BROADCAST, broadcast.referencePartitioning());
    assertEquals(false, StreamOperatorNode.of("j", broadcast).parameters()
        .containsKey("reference_partitioning"));
  }

  @Test
  void shouldParseARenamedNodeAgainBecauseADefaultMayFollowTheName() {
    StreamOperatorNode join = node(OperatorType.HASH_JOIN, "left_key", "id", "right_key", "ID");
    JoinSpec spec = join.spec(JoinSpec.class);
    StreamOperatorNode renamed = join.withName("other");
    assertEquals(spec, renamed.spec());
    org.junit.jupiter.api.Assertions.assertNotSame(join.spec(), renamed.spec());
  }

  /** An agent receives specs as JSON: each must read back to an equal spec. */
  @Test
  void shouldRoundTripEverySpecThroughJson() throws Exception {
    List<StreamOperatorNode> nodes = List.of(
        node(OperatorType.FILTER, "column", "px", "operator", ">=", "value", 2.5),
        node(OperatorType.FILTER, "column", "sym", "operator", "in", "value", List.of("A", "B")),
        node(OperatorType.FILTER, "any", List.of(
            Map.of("column", "px", "operator", "<", "value", -1),
            Map.of("all", List.of(Map.of("column", "q", "operator", "is null"),
                Map.of("column", "live", "value", true))))),
        node(OperatorType.SELECT, "columns", List.of("a", Map.of("b", "c"))),
        node(OperatorType.HASH_JOIN, "left_key", "id", "right_key", "ID", "join_type", "left"),
        node(OperatorType.HASH_JOIN, "left_key", List.of("a", "b"), "right_key", List.of("A", "B"),
            "on_duplicate", "error", "reference_filter", Map.of("column", "S", "value", "x")));
    for (StreamOperatorNode n : nodes) {
      String json = JSON.writeValueAsString(n.spec().toParameters());
      @SuppressWarnings("unchecked")
      Map<String, Object> back = JSON.readValue(json, LinkedHashMap.class);
      assertEquals(n.spec(), new StreamOperatorNode(n.operatorType(), n.name(), back).spec(), json);
    }
  }

  private static StreamOperatorNode node(OperatorType type, Object... keyValues) {
    Map<String, Object> p = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) p.put((String) keyValues[i], keyValues[i + 1]);
    return new StreamOperatorNode(type, "op", p);
  }
}
