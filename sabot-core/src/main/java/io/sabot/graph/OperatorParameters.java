package io.sabot.graph;

import io.sabot.error.InvalidJobException;
import io.sabot.expr.Condition;
import io.sabot.expr.Conditions;
import io.sabot.types.ColumnType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed reads of one operator's parameters, shared by the core operators' specs and by every
 * connector's (Kafka included), so a parameter means and is refused the same way everywhere.
 *
 * <p>A read that fails records a problem and returns the default, so that one pass over an
 * operator finds every bad parameter; {@link #check()} then throws them all at once as an
 * {@link InvalidJobException}. Every problem opens with the operator and the parameter, in the
 * {@code name=value} style of all plan errors:
 *
 * <pre>
 *   operator=load_quotes parameter=rows value=many must be a whole number >= 0
 *   operator=enrich parameter=join_type value=outer is not supported; use inner or left outer
 * </pre>
 */
public final class OperatorParameters {
  private final StreamOperatorNode node;
  private final List<String> problems = new ArrayList<>();

  public OperatorParameters(StreamOperatorNode node) {
    this.node = node;
  }

  public String operator() {
    return node.name();
  }

  public OperatorType type() {
    return node.operatorType();
  }

  /** True when the parameter is given (a null value counts as not given). */
  public boolean has(String key) {
    return node.parameter(key) != null;
  }

  /** The parameter names, in the order given. */
  public java.util.Set<String> keys() {
    return node.parameters().keySet();
  }

  /** The value as given, or null. */
  public Object raw(String key) {
    return node.parameter(key);
  }

  /** Records {@code operator=X parameter=key rest}. */
  public void problem(String key, String rest) {
    problems.add("operator=" + node.name() + " parameter=" + key + " " + rest);
  }

  /** Records {@code operator=X rest}, for a problem that is not about one parameter. */
  public void problem(String rest) {
    problems.add("operator=" + node.name() + " " + rest);
  }

  /** True when no problem has been recorded. */
  public boolean isValid() {
    return problems.isEmpty();
  }

  /** Throws every recorded problem at once. */
  public void check() {
    if (!problems.isEmpty()) throw new InvalidJobException(problems);
  }

  /** Records a problem for every key outside {@code accepted}. */
  public void checkKeys(List<String> accepted, String what) {
    for (String key : node.parameters().keySet()) {
      if (!accepted.contains(key)) {
        problem(key, "is not a parameter of " + what + "; accepted: " + String.join(", ", accepted));
      }
    }
  }

  /** A non-blank text (trimmed), or {@code dflt} when absent or bad. */
  public String text(String key, String dflt) {
    Object v = node.parameter(key);
    if (v == null) return dflt;
    if (v instanceof Map || v instanceof List || v.toString().isBlank()) {
      problem(key, "value=" + v + " must be a non-empty text");
      return dflt;
    }
    return v.toString().trim();
  }

  /** A non-blank text (trimmed), or null when absent or bad. */
  public String text(String key) {
    return text(key, null);
  }

  /** A whole number >= 0, or {@code dflt} when absent or bad. Accepts {@code 1_000_000} as text. */
  public long count(String key, long dflt) {
    Object v = node.parameter(key);
    if (v == null) return dflt;
    try {
      long n;
      if (v instanceof Number) {
        double d = ((Number) v).doubleValue();
        n = ((Number) v).longValue();
        if (d != n) throw new NumberFormatException();
      } else {
        n = Long.parseLong(v.toString().trim().replace("_", ""));
      }
      if (n < 0) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      problem(key, "value=" + v + " must be a whole number >= 0");
      return dflt;
    }
  }

  /**
   * A size in bytes: a whole number, or one with a binary unit ({@code 512k}, {@code 512m},
   * {@code 2g}, {@code 1t}; also {@code 512MB}, {@code 2 GiB}). Reports a problem and returns -1
   * when bad (or absent).
   */
  public long bytes(String key) {
    Object v = node.parameter(key);
    if (v == null) return -1;
    if (v instanceof Number && ((Number) v).doubleValue() == ((Number) v).longValue()
        && ((Number) v).longValue() >= 0) {
      return ((Number) v).longValue();
    }
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("(\\d+)\\s*([kmgt]?)(i?b)?").matcher(v.toString().trim().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      int shift = "_kmgt".indexOf(m.group(2).isEmpty() ? "_" : m.group(2)) * 10;
      try {
        long n = Long.parseLong(m.group(1));
        if (n <= (Long.MAX_VALUE >> shift)) return n << shift;
      } catch (NumberFormatException e) {
        // too long: reported below
      }
    }
    problem(key, "value=" + v + " is not a size; use bytes, or a number with k, m, g or t "
        + "(512m, 2g)");
    return -1;
  }

  /**
   * A whole number from 1 to {@link Integer#MAX_VALUE}, or {@code dflt}: 2.5 or 2^32+5 must not
   * quietly become 2 or 5.
   */
  public int positiveInt(String key, int dflt) {
    Object v = node.parameter(key);
    if (v == null) return dflt;
    boolean whole = v instanceof Integer || v instanceof Long
        || (v instanceof BigInteger && ((BigInteger) v).bitLength() <= 31);
    if (!whole || ((Number) v).longValue() < 1 || ((Number) v).longValue() > Integer.MAX_VALUE) {
      problem(key, "value=" + v + " must be a positive whole number up to " + Integer.MAX_VALUE);
      return dflt;
    }
    return ((Number) v).intValue();
  }

  /** true/false (also as text), or {@code dflt} when absent or bad. */
  public boolean flag(String key, boolean dflt) {
    Object v = node.parameter(key);
    if (v == null) return dflt;
    if (v instanceof Boolean) return (Boolean) v;
    String s = v.toString().trim();
    if (s.equalsIgnoreCase("true")) return true;
    if (s.equalsIgnoreCase("false")) return false;
    problem(key, "value=" + v + " must be true or false");
    return dflt;
  }

  /** One of {@code accepted} (case-insensitive, '-' read as '_'), or {@code dflt}. */
  public String choice(String key, String dflt, String... accepted) {
    String v = text(key, null);
    if (v == null) return dflt;
    String s = v.toLowerCase(Locale.ROOT).replace('-', '_');
    for (String a : accepted) {
      if (a.equals(s)) return a;
    }
    String last = accepted[accepted.length - 1];
    String others = String.join(", ", java.util.Arrays.asList(accepted).subList(0, accepted.length - 1));
    problem(key, "value=" + v + " is not supported; use " + (others.isEmpty() ? last
        : others + " or " + last));
    return dflt;
  }

  /** The {@code schema} map (column name to type), in the order given; empty when absent. */
  public Map<String, ColumnType> schema() {
    Object v = node.parameter("schema");
    Map<String, ColumnType> out = new LinkedHashMap<>();
    if (v == null) return out;
    if (!(v instanceof Map)) {
      problem("schema", "value=" + v + " must be a map of column name to type, "
          + "e.g. {instrumentId: int64, price: float64}");
      return out;
    }
    for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
      String column = String.valueOf(e.getKey());
      try {
        out.put(column, ColumnType.parse(String.valueOf(e.getValue())));
      } catch (IllegalArgumentException ex) {
        problem("schema", "column=" + column + " value=" + e.getValue()
            + " is not a type; use int32, int64, float64, string, bool or timestamp");
      }
    }
    return out;
  }

  /** A schema as the job file writes it: column name to type name, in order. */
  public static Map<String, Object> schemaParameter(Map<String, ColumnType> schema) {
    Map<String, Object> types = new LinkedHashMap<>();
    schema.forEach((column, type) -> types.put(column, type.toString()));
    return types;
  }

  /** A map of settings (values as text), e.g. Kafka client properties; empty when absent. */
  public Map<String, String> settings(String key, String example) {
    Object v = node.parameter(key);
    Map<String, String> out = new LinkedHashMap<>();
    if (v == null) return out;
    if (!(v instanceof Map)) {
      problem(key, "value=" + v + " must be a map of settings, e.g. " + example);
      return out;
    }
    ((Map<?, ?>) v).forEach((k, value) -> out.put(String.valueOf(k), String.valueOf(value)));
    return out;
  }

  /** One column name or a non-empty list of them; empty (with a problem) when missing or bad. */
  public List<String> columns(String key) {
    Object v = node.parameter(key);
    List<String> out = new ArrayList<>();
    if (v instanceof String && !((String) v).isBlank()) {
      out.add(((String) v).trim());
      return out;
    }
    if (v instanceof List && !((List<?>) v).isEmpty()) {
      for (Object o : (List<?>) v) {
        if (!(o instanceof String) || ((String) o).isBlank()) {
          problem(key, "value=" + v + " must be a column name or a list of column names");
          return List.of();
        }
        out.add(((String) o).trim());
      }
      return out;
    }
    boolean empty = (v instanceof String && ((String) v).isBlank())
        || (v instanceof List && ((List<?>) v).isEmpty());
    problem(key, (v == null ? "is missing" : empty ? "is empty" : "value=" + v
        + " is not a column name") + "; give a column name or a list of column names");
    return List.of();
  }

  /**
   * A condition map (FILTER syntax: {@code {column, operator, value}}, {@code all} or
   * {@code any}), or null when absent or bad.
   */
  @SuppressWarnings("unchecked")
  public Condition condition(String key) {
    Object v = node.parameter(key);
    if (v == null) return null;
    if (!(v instanceof Map)) {
      problem(key, "value=" + v + " must be a condition map, e.g. "
          + "{column: STATUS, operator: '==', value: ACTIVE}");
      return null;
    }
    try {
      return Conditions.parse((Map<String, Object>) v, key);
    } catch (IllegalArgumentException e) {
      // the message opens with where in the condition: reference_filter.all[0] must be a map
      String m = e.getMessage();
      problems.add("operator=" + node.name() + (m.startsWith(key) ? " parameter=" : " parameter="
          + key + " ") + m);
      return null;
    }
  }
}
