package io.sabot.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sabot.error.InvalidJobException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobGraphTest {
  private static StreamOperatorNode node(OperatorType type, String name) {
    return new StreamOperatorNode(type, name, Map.of());
  }

  @Test
  void shouldKeepJoinInputsInConnectionOrder() {
    JobGraph g = new JobGraph("j");
    g.addOperator(node(OperatorType.SOURCE, "quotes"));
    g.addOperator(node(OperatorType.SOURCE, "securities"));
    g.addOperator(node(OperatorType.HASH_JOIN, "join"));
    g.addOperator(node(OperatorType.SINK, "out"));
    g.connect("quotes", "join");
    g.connect("securities", "join");
    g.connect("join", "out");
    g.validate();
    assertEquals(List.of("quotes", "securities"), g.inputs("join"));
    assertEquals(List.of("out"), g.outputs("join"));
  }

  @Test
  void shouldListEveryStructuralProblemAtOnce() {
    JobGraph g = new JobGraph("broken");
    g.addOperator(node(OperatorType.SOURCE, "quotes"));
    g.addOperator(node(OperatorType.HASH_JOIN, "join"));
    g.addOperator(node(OperatorType.FILTER, "a"));
    g.addOperator(node(OperatorType.FILTER, "b"));
    g.connect("quotes", "join");
    g.connect("a", "b");
    g.connect("b", "a");
    g.connect("join", "nowhere");
    InvalidJobException e = assertThrows(InvalidJobException.class, g::validate);
    assertEquals(List.of(
        "connection [join, nowhere] names operator=nowhere which does not exist; operators: "
            + "quotes, join, a, b",
        "HASH_JOIN join has 1 input(s) [quotes]; a join needs exactly 2: first the stream, then "
            + "the reference table",
        "job broken has no SINK; add one (path, stdout or discard) to say where the enriched rows go",
        "the connections form a cycle: a -> b -> a"), e.problems());
    assertEquals("Invalid job: 4 problems", e.getMessage().lines().findFirst().orElseThrow());
  }

  @Test
  void shouldRejectDuplicateOperatorNames() {
    JobGraph g = new JobGraph("j");
    g.addOperator(node(OperatorType.SOURCE, "quotes"));
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> g.addOperator(node(OperatorType.FILTER, "quotes")));
    assertEquals("Invalid job: operator name=quotes is used twice; operator names are ids and must "
        + "be unique", e.getMessage());
  }

  @Test
  void shouldRejectAnOperatorFeedingTwoOthers() {
    JobGraph g = new JobGraph("j");
    g.addOperator(node(OperatorType.SOURCE, "s"));
    g.addOperator(node(OperatorType.SINK, "x"));
    g.addOperator(node(OperatorType.SINK, "y"));
    g.connect("s", "x");
    g.connect("s", "y");
    InvalidJobException e = assertThrows(InvalidJobException.class, g::validate);
    assertEquals(List.of("operator s feeds 2 operators (x, y); each operator may feed one other "
        + "operator"), e.problems());
  }
}
