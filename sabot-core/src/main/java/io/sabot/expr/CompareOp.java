package io.sabot.expr;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The FILTER operators of the job file. */
public enum CompareOp {
  EQ("=="), NE("!="), GT(">"), GE(">="), LT("<"), LE("<="),
  IN("in"), NOT_IN("not in"), IS_NULL("is null"), IS_NOT_NULL("is not null");

  private final String symbol;

  CompareOp(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  /** True for the six ordering comparisons against one value. */
  public boolean isComparison() {
    return ordinal() <= LE.ordinal();
  }

  /** The operator with its operands swapped and negated (for {@code not}): not needed by rules yet. */
  public static CompareOp parse(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", " ");
    switch (t) {
      case "==": case "=": case "eq": return EQ;
      case "!=": case "<>": case "ne": return NE;
      case ">": case "gt": return GT;
      case ">=": case "ge": return GE;
      case "<": case "lt": return LT;
      case "<=": case "le": return LE;
      case "in": return IN;
      case "not in": case "not_in": return NOT_IN;
      case "is null": case "is_null": return IS_NULL;
      case "is not null": case "is_not_null": return IS_NOT_NULL;
      default:
        throw new IllegalArgumentException("operator '" + text + "' is not supported; use "
            + Arrays.stream(values()).map(CompareOp::symbol).collect(Collectors.joining(", ")));
    }
  }

  @Override
  public String toString() {
    return symbol;
  }
}
