package io.sabot.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How FILTER parameters read as a Condition, print, turn back into parameters, and fail. */
class ConditionsTest {
  @Test
  void shouldParseOnePredicate() {
    Condition c = Conditions.parse(where("price", ">", 100));
    assertEquals(new Condition.Predicate("price", CompareOp.GT, 100), c);
    assertEquals(Set.of("price"), c.columns());
    assertEquals("price > 100", c.toString());
  }

  @Test
  void shouldTakeEqualsWhenTheOperatorIsLeftOut() {
    assertEquals(new Condition.Predicate("sym", CompareOp.EQ, "A"),
        Conditions.parse(map("column", "sym", "value", "A")));
  }

  @Test
  void shouldKeepLiteralsOfEachKindWholeNumbersAsLongDecimalsAsDouble() {
    assertEquals(7L, value(where("x", "==", 7)));
    assertEquals(7L, value(where("x", "==", (short) 7)));
    assertEquals(7L, value(where("x", "==", java.math.BigInteger.valueOf(7))));
    assertEquals(2.5, value(where("x", "==", 2.5f)));
    assertEquals(List.of(1L, 2L), value(where("x", "in", List.of(1, 2))));
    assertEquals(7_000_000_000L, value(where("x", "==", 7_000_000_000L)));
    assertEquals(2.5, value(where("x", "==", 2.5)));
    assertEquals("2.5", value(where("x", "==", "2.5")));
    assertEquals(true, value(where("x", "==", true)));
    assertEquals("2024-01-02", value(where("x", ">", "2024-01-02")));
    assertEquals("x == true", Conditions.parse(where("x", "==", true)).toString());
    assertEquals("x == '2.5'", Conditions.parse(where("x", "==", "2.5")).toString());
    assertEquals("x == 2.5", Conditions.parse(where("x", "==", 2.5)).toString());
  }

  @Test
  void shouldParseInAndNotInWithAList() {
    Condition in = Conditions.parse(where("sym", "in", List.of("A", "B")));
    assertEquals(new Condition.Predicate("sym", CompareOp.IN, List.of("A", "B")), in);
    assertEquals("sym in ['A', 'B']", in.toString());
    Condition notIn = Conditions.parse(where("size", "not in", List.of(1, 2)));
    assertEquals(new Condition.Predicate("size", CompareOp.NOT_IN, List.of(1, 2)), notIn);
    assertEquals("size not in [1, 2]", notIn.toString());
  }

  @Test
  void shouldParseTheNullChecksWithoutAValue() {
    Condition isNull = Conditions.parse(map("column", "ts", "operator", "is null"));
    assertEquals(new Condition.Predicate("ts", CompareOp.IS_NULL, null), isNull);
    assertEquals("ts is null", isNull.toString());
    assertEquals(Map.of("column", "ts", "operator", "is null"), isNull.toParameters());
    Condition notNull = Conditions.parse(map("column", "ts", "operator", "is not null", "value", null));
    assertEquals(new Condition.Predicate("ts", CompareOp.IS_NOT_NULL, null), notNull);
    assertEquals("ts is not null", notNull.toString());
  }

  @Test
  void shouldParseNestedAllAndAny() {
    Condition c = Conditions.parse(Map.of("all", List.of(
        Map.of("any", List.of(where("price", ">", 100), where("sym", "==", "A"))),
        map("column", "ts", "operator", "is not null"),
        Map.of("all", List.of(where("size", "<", 5))))));
    Condition expected = new Condition.All(List.of(
        new Condition.Any(List.of(new Condition.Predicate("price", CompareOp.GT, 100),
            new Condition.Predicate("sym", CompareOp.EQ, "A"))),
        new Condition.Predicate("ts", CompareOp.IS_NOT_NULL, null),
        new Condition.All(List.of(new Condition.Predicate("size", CompareOp.LT, 5)))));
    assertEquals(expected, c);
    assertEquals("(price > 100 or sym == 'A') and ts is not null and (size < 5)", c.toString());
    assertEquals(List.of("price", "sym", "ts", "size"), List.copyOf(c.columns()));
  }

  @Test
  void shouldTurnBackIntoTheParametersItWasParsedFrom() { // whole numbers come back as Long
    Map<String, Object> p = Map.of("any", List.of(where("price", ">=", 1.5),
        Map.of("all", List.of(where("sym", "not in", List.of("A")), where("size", "!=", 3L)))));
    Condition c = Conditions.parse(p);
    assertEquals(p, c.toParameters());
    assertEquals(c, Conditions.parse(c.toParameters()));
  }

  @Test
  void shouldFlattenNestedAllsIntoConjuncts() {
    Condition a = new Condition.Predicate("a", CompareOp.EQ, 1);
    Condition b = new Condition.Predicate("b", CompareOp.EQ, 2);
    Condition d = new Condition.Predicate("d", CompareOp.EQ, 4);
    Condition either = new Condition.Any(List.of(a, b));
    Condition all = new Condition.All(List.of(a, new Condition.All(List.of(b, either)), d));
    assertEquals(List.of(a, b, either, d), Conditions.conjuncts(all));
    assertEquals(List.of(either), Conditions.conjuncts(either));
    assertSame(a, Conditions.and(List.of(a)));
    assertEquals(new Condition.All(List.of(a, b)), Conditions.and(List.of(a, b)));
  }

  @Test
  void shouldReadEverySpellingOfTheOperators() {
    Map<String, CompareOp> spellings = new LinkedHashMap<>();
    for (String s : List.of("==", "=", "eq", "EQ")) spellings.put(s, CompareOp.EQ);
    for (String s : List.of("!=", "<>", "ne")) spellings.put(s, CompareOp.NE);
    spellings.put(">", CompareOp.GT);
    spellings.put("gt", CompareOp.GT);
    spellings.put(">=", CompareOp.GE);
    spellings.put("ge", CompareOp.GE);
    spellings.put("<", CompareOp.LT);
    spellings.put("lt", CompareOp.LT);
    spellings.put("<=", CompareOp.LE);
    spellings.put("le", CompareOp.LE);
    spellings.put(" In ", CompareOp.IN);
    for (String s : List.of("not in", "NOT  IN", "not_in")) spellings.put(s, CompareOp.NOT_IN);
    for (String s : List.of("is null", "is_null", "IS NULL")) spellings.put(s, CompareOp.IS_NULL);
    for (String s : List.of("is not null", "is_not_null")) spellings.put(s, CompareOp.IS_NOT_NULL);
    spellings.forEach((text, op) -> assertEquals(op, CompareOp.parse(text), text));
  }

  @Test
  void shouldCallOnlyTheSixOrderingsComparisons() {
    assertEquals(List.of(CompareOp.EQ, CompareOp.NE, CompareOp.GT, CompareOp.GE, CompareOp.LT,
        CompareOp.LE), Arrays.stream(CompareOp.values()).filter(CompareOp::isComparison).toList());
    assertEquals("not in", CompareOp.NOT_IN.symbol());
    assertEquals("is not null", CompareOp.IS_NOT_NULL.toString());
  }

  // ---- errors -------------------------------------------------------------------------------

  @Test
  void shouldRefuseAnUnknownOperator() {
    assertEquals("operator '~' is not supported; use ==, !=, >, >=, <, <=, in, not in, is null, is "
        + "not null", error(where("x", "~", 1)));
  }

  @Test
  void shouldRefuseParametersThatAreNotExactlyOneCondition() {
    assertEquals("parameters must have exactly one of column (with operator and value), all: [..] "
        + "or any: [..]; found keys []", error(Map.of()));
    assertEquals("parameters must have exactly one of column (with operator and value), all: [..] "
        + "or any: [..]; found keys [all, any]",
        error(map("all", List.of(where("x", "==", 1)), "any", List.of(where("x", "==", 1)))));
  }

  @Test
  void shouldRefuseAnUnknownKeyBesideAllOrInAPredicate() {
    assertEquals("parameters has unknown key 'note' beside all",
        error(map("all", List.of(where("x", "==", 1)), "note", "hi")));
    assertEquals("parameters has unknown key 'colour'; a condition has column, operator and value",
        error(map("column", "x", "operator", "==", "value", 1, "colour", "red")));
  }

  @Test
  void shouldRefuseAnEmptyAllAndAPartThatIsNotAMap() {
    assertEquals("parameters.any must be a non-empty list of conditions",
        error(Map.of("any", List.of())));
    assertEquals("parameters.all must be a non-empty list of conditions", error(Map.of("all", "x")));
    assertEquals("parameters.all[1] must be a map",
        error(Map.of("all", List.of(where("x", "==", 1), "y > 2"))));
  }

  @Test
  void shouldNameWhereInANestedConditionTheProblemIs() {
    assertEquals("parameters.all[0].any[1].column must be a column name",
        error(Map.of("all", List.of(Map.of("any", List.of(where("x", "==", 1),
            where(" ", "==", 2)))))));
  }

  @Test
  void shouldRefuseAColumnThatIsNotAName() {
    assertEquals("parameters.column must be a column name", error(where("", "==", 1)));
    assertEquals("parameters.column must be a column name", error(map("column", 3, "value", 1)));
  }

  @Test
  void shouldRefuseAValueWhereNoneIsTakenAndNoValueWhereOneIsNeeded() {
    assertEquals("parameters: operator 'is null' takes no value", error(where("x", "is null", 1)));
    assertEquals("parameters: operator '>' needs a value", error(map("column", "x", "operator", ">")));
  }

  @Test
  void shouldRefuseAComparisonWithNull() {
    assertEquals("parameters: comparing with null is never true; use operator 'is null' or 'is not "
        + "null'", error(map("column", "x", "operator", "==", "value", null)));
    assertEquals("parameters: comparing with null is never true; use operator 'is null' or 'is not "
        + "null'", error(map("column", "x", "operator", "!=", "value", null)));
  }

  @Test
  void shouldRefuseAListWithAComparisonAndAScalarWithIn() {
    assertEquals("parameters: operator 'in' needs a list value, e.g. value: [1, 2, 3]",
        error(where("x", "in", 1)));
    assertEquals("parameters: operator 'not in' needs a list value, e.g. value: [1, 2, 3]",
        error(map("column", "x", "operator", "not in", "value", null)));
    assertEquals("parameters: operator '==' compares with one value, not a list; use 'in' for a list",
        error(where("x", "==", List.of(1, 2))));
  }

  @Test
  void shouldRefuseAMapValue() {
    assertEquals("parameters.value must be a scalar or a list", error(where("x", "==", Map.of("a", 1))));
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static Map<String, Object> where(String column, String op, Object value) {
    return map("column", column, "operator", op, "value", value);
  }

  /** An ordered map that, unlike Map.of, may hold null values. */
  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    return m;
  }

  private static Object value(Map<String, Object> p) {
    return ((Condition.Predicate) Conditions.parse(p)).value();
  }

  private static String error(Map<String, Object> p) {
    return assertThrows(IllegalArgumentException.class, () -> Conditions.parse(new HashMap<>(p)))
        .getMessage();
  }
}
