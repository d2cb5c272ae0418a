package io.sabot.expr;

import java.util.List;
import java.util.Set;

/**
 * A FILTER condition as the user wrote it, before it is bound to column positions and types.
 * Immutable; rules build new conditions rather than editing these.
 */
public sealed interface Condition permits Condition.Predicate, Condition.All, Condition.Any {

  /** Every column the condition reads. */
  Set<String> columns();

  /** The condition in job-file parameter form (what a FILTER's parameters would be). */
  java.util.Map<String, Object> toParameters();

  /**
   * One test on one column: {@code column op value}. {@code value} is a scalar for comparisons, a
   * list for {@code in}/{@code not in}, and null for the null checks.
   */
  record Predicate(String column, CompareOp op, Object value) implements Condition {
    /** Whole numbers are kept as Long and decimals as Double, whatever type they came as. */
    public Predicate {
      value = Conditions.normalized(value);
    }

    @Override
    public Set<String> columns() {
      return Set.of(column);
    }

    @Override
    public java.util.Map<String, Object> toParameters() {
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("column", column);
      m.put("operator", op.symbol());
      if (value != null) m.put("value", value);
      return m;
    }

    @Override
    public String toString() {
      if (op == CompareOp.IS_NULL || op == CompareOp.IS_NOT_NULL) return column + " " + op;
      return column + " " + op + " " + Literals.display(value);
    }
  }

  /** True when every part is true. */
  record All(List<Condition> parts) implements Condition {
    public All {
      parts = List.copyOf(parts);
    }

    @Override
    public Set<String> columns() {
      return Conditions.columnsOf(parts);
    }

    @Override
    public java.util.Map<String, Object> toParameters() {
      return java.util.Map.of("all", Conditions.parametersOf(parts));
    }

    @Override
    public String toString() {
      return Conditions.join(parts, " and ");
    }
  }

  /** True when at least one part is true. */
  record Any(List<Condition> parts) implements Condition {
    public Any {
      parts = List.copyOf(parts);
    }

    @Override
    public Set<String> columns() {
      return Conditions.columnsOf(parts);
    }

    @Override
    public java.util.Map<String, Object> toParameters() {
      return java.util.Map.of("any", Conditions.parametersOf(parts));
    }

    @Override
    public String toString() {
      return Conditions.join(parts, " or ");
    }
  }
}
