package io.sabot.expr;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads FILTER parameters into a {@link Condition}: either one predicate
 * ({@code column, operator, value}) or {@code all: [..]} / {@code any: [..]} of such maps, nested
 * to any depth. Problems are returned as messages naming the operator and the parameter.
 */
public final class Conditions {
  private Conditions() {}

  /** Parses a FILTER's parameters; throws IllegalArgumentException with a message to show. */
  public static Condition parse(Map<String, Object> parameters) {
    return parse(parameters, "parameters");
  }

  /**
   * Parses a condition map; {@code where} names it in messages ({@code reference_filter.all[1]
   * must be a map}).
   */
  @SuppressWarnings("unchecked")
  public static Condition parse(Map<String, Object> p, String where) {
    boolean hasAll = p.containsKey("all");
    boolean hasAny = p.containsKey("any");
    boolean hasColumn = p.containsKey("column");
    if ((hasAll ? 1 : 0) + (hasAny ? 1 : 0) + (hasColumn ? 1 : 0) != 1) {
      throw new IllegalArgumentException(where + " must have exactly one of column (with operator"
          + " and value), all: [..] or any: [..]; found keys " + p.keySet());
    }
    if (hasAll || hasAny) {
      String key = hasAll ? "all" : "any";
      for (String k : p.keySet()) {
        if (!k.equals(key)) {
          throw new IllegalArgumentException(where + " has unknown key '" + k + "' beside " + key);
        }
      }
      Object list = p.get(key);
      if (!(list instanceof List) || ((List<?>) list).isEmpty()) {
        throw new IllegalArgumentException(where + "." + key + " must be a non-empty list of "
            + "conditions");
      }
      List<Condition> parts = new ArrayList<>();
      int i = 0;
      for (Object o : (List<?>) list) {
        String w = where + "." + key + "[" + i++ + "]";
        if (!(o instanceof Map)) throw new IllegalArgumentException(w + " must be a map");
        parts.add(parse((Map<String, Object>) o, w));
      }
      return hasAll ? new Condition.All(parts) : new Condition.Any(parts);
    }
    for (String k : p.keySet()) {
      if (!List.of("column", "operator", "value").contains(k)) {
        throw new IllegalArgumentException(where + " has unknown key '" + k
            + "'; a condition has column, operator and value");
      }
    }
    Object column = p.get("column");
    if (!(column instanceof String) || ((String) column).isBlank()) {
      throw new IllegalArgumentException(where + ".column must be a column name");
    }
    Object opText = p.get("operator");
    CompareOp op = opText == null ? CompareOp.EQ : CompareOp.parse(String.valueOf(opText));
    Object value = p.get("value");
    boolean nullCheck = op == CompareOp.IS_NULL || op == CompareOp.IS_NOT_NULL;
    if (nullCheck && value != null) {
      throw new IllegalArgumentException(where + ": operator '" + op + "' takes no value");
    }
    if (!nullCheck && !p.containsKey("value")) {
      throw new IllegalArgumentException(where + ": operator '" + op + "' needs a value");
    }
    boolean listOp = op == CompareOp.IN || op == CompareOp.NOT_IN;
    if (listOp && !(value instanceof List)) {
      throw new IllegalArgumentException(where + ": operator '" + op + "' needs a list value, "
          + "e.g. value: [1, 2, 3]");
    }
    if (!listOp && value instanceof List) {
      throw new IllegalArgumentException(where + ": operator '" + op + "' compares with one "
          + "value, not a list; use 'in' for a list");
    }
    if (value instanceof Map) {
      throw new IllegalArgumentException(where + ".value must be a scalar or a list");
    }
    if (!nullCheck && !listOp && value == null) {
      throw new IllegalArgumentException(where + ": comparing with null is never true; use "
          + "operator 'is null' or 'is not null'");
    }
    return new Condition.Predicate((String) column, op, value);
  }

  /**
   * Whole numbers as Long and decimals as Double, in lists too, so a condition reads back equal
   * from a job file whatever number types the Java API or a parser gave (an agent receives it as
   * JSON). A BigInteger beyond long stays as it is: the binder refuses it, saying why.
   */
  static Object normalized(Object value) {
    if (value instanceof Byte || value instanceof Short || value instanceof Integer) {
      return ((Number) value).longValue();
    }
    if (value instanceof java.math.BigInteger && ((java.math.BigInteger) value).bitLength() < 64) {
      return ((java.math.BigInteger) value).longValue();
    }
    if (value instanceof Float || value instanceof java.math.BigDecimal) {
      return ((Number) value).doubleValue();
    }
    if (value instanceof List) {
      List<Object> out = new ArrayList<>();
      for (Object o : (List<?>) value) out.add(normalized(o));
      return out;
    }
    return value;
  }

  /** The conditions that must all hold: the parts of an {@code all}, or the condition itself. */
  public static List<Condition> conjuncts(Condition c) {
    if (c instanceof Condition.All) {
      List<Condition> out = new ArrayList<>();
      for (Condition part : ((Condition.All) c).parts()) out.addAll(conjuncts(part));
      return out;
    }
    return List.of(c);
  }

  /** One condition from conjuncts: the single part, or an {@code all}. */
  public static Condition and(List<Condition> parts) {
    return parts.size() == 1 ? parts.get(0) : new Condition.All(parts);
  }

  static Set<String> columnsOf(List<Condition> parts) {
    Set<String> out = new LinkedHashSet<>();
    for (Condition c : parts) out.addAll(c.columns());
    return out;
  }

  static List<Map<String, Object>> parametersOf(List<Condition> parts) {
    return parts.stream().map(Condition::toParameters).collect(Collectors.toList());
  }

  static String join(List<Condition> parts, String sep) {
    return parts.stream().map(c -> c instanceof Condition.Predicate ? c.toString() : "(" + c + ")")
        .collect(Collectors.joining(sep));
  }
}
