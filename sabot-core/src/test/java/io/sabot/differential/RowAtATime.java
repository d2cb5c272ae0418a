package io.sabot.differential;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reference implementation the engine is checked against: FILTER, SELECT and HASH_JOIN
 * evaluated one row at a time, straight from the operators' job-file parameters, with nested
 * loops. Obviously correct is the goal, not fast.
 *
 * <p>Semantics (DESIGN.md, "The job file"): a comparison with a null value is false (also for
 * {@code !=} and {@code not in}); strings compare by their UTF-8 bytes, unsigned; an integer
 * column is compared with whole literals only (a fractional one is a plan error, never drawn);
 * the generated doubles hold no NaN; join output is every left column,
 * then every right column but the right keys, a taken name getting {@code _right} until free;
 * null keys never match; int32 and int64 keys match numerically; {@code on_duplicate} last keeps
 * the later reference row, first the earlier, all every one in reference order ({@code error}
 * fails the job on a duplicate key, so when it runs it is {@code last}).
 */
final class RowAtATime {
  private RowAtATime() {}

  // ---- FILTER -------------------------------------------------------------------------------

  static Table filter(Table t, Map<String, Object> condition) {
    List<Object[]> out = new ArrayList<>();
    for (Object[] row : t.rows()) {
      if (test(condition, t, row)) out.add(row);
    }
    return t.withRows(out);
  }

  @SuppressWarnings("unchecked")
  static boolean test(Map<String, Object> c, Table t, Object[] row) {
    if (c.containsKey("all")) {
      for (Object part : (List<?>) c.get("all")) {
        if (!test((Map<String, Object>) part, t, row)) return false;
      }
      return true;
    }
    if (c.containsKey("any")) {
      for (Object part : (List<?>) c.get("any")) {
        if (test((Map<String, Object>) part, t, row)) return true;
      }
      return false;
    }
    Object v = row[t.indexOf((String) c.get("column"))];
    String op = (String) c.get("operator");
    Object literal = c.get("value");
    switch (op) {
      case "is null": return v == null;
      case "is not null": return v != null;
      default: break;
    }
    if (v == null) return false;
    switch (op) {
      case "==": return compare(v, literal) == 0;
      case "!=": return compare(v, literal) != 0;
      case ">": return compare(v, literal) > 0;
      case ">=": return compare(v, literal) >= 0;
      case "<": return compare(v, literal) < 0;
      case "<=": return compare(v, literal) <= 0;
      case "in": return contains((List<?>) literal, v);
      case "not in": return !contains((List<?>) literal, v);
      default: throw new IllegalArgumentException("operator " + op);
    }
  }

  private static boolean contains(List<?> literals, Object v) {
    for (Object l : literals) {
      if (compare(v, l) == 0) return true;
    }
    return false;
  }

  /** Orders a non-null column value against a literal of a type the engine accepts for it. */
  static int compare(Object v, Object literal) {
    if (v instanceof String) {
      return Integer.signum(Arrays.compareUnsigned(((String) v).getBytes(StandardCharsets.UTF_8),
          ((String) literal).getBytes(StandardCharsets.UTF_8)));
    }
    if (v instanceof Boolean) {
      return v.equals(literal) ? 0 : ((Boolean) v ? 1 : -1);
    }
    Number a = (Number) v;
    Number b = (Number) literal;
    if (isWhole(a) && isWhole(b)) return Long.compare(a.longValue(), b.longValue());
    double x = a.doubleValue();
    double y = b.doubleValue();
    return x < y ? -1 : x > y ? 1 : 0; // 0 also for -0.0 vs 0.0, as == says
  }

  private static boolean isWhole(Number n) {
    return n instanceof Integer || n instanceof Long;
  }

  // ---- SELECT -------------------------------------------------------------------------------

  /** {@code columns}: each a name, or a one-entry map {@code {name: new_name}}. */
  static Table select(Table t, List<?> columns) {
    List<Table.Col> cols = new ArrayList<>();
    List<Integer> from = new ArrayList<>();
    for (Object c : columns) {
      String source;
      String target;
      if (c instanceof String) {
        source = (String) c;
        target = source;
      } else {
        Map.Entry<?, ?> e = ((Map<?, ?>) c).entrySet().iterator().next();
        source = (String) e.getKey();
        target = (String) e.getValue();
      }
      from.add(t.indexOf(source));
      cols.add(t.col(source).withName(target));
    }
    List<Object[]> rows = new ArrayList<>();
    for (Object[] row : t.rows()) {
      Object[] r = new Object[from.size()];
      for (int i = 0; i < r.length; i++) r[i] = row[from.get(i)];
      rows.add(r);
    }
    return new Table(cols, rows);
  }

  // ---- HASH_JOIN ----------------------------------------------------------------------------

  /** A join's output and the counters the engine's summary reports for it. */
  record Joined(Table table, Map<String, Long> counters) {}

  /**
   * @param origin the origin the right columns get in the output (only steers the generator)
   */
  static Joined join(Table left, Table right, List<String> leftKeys, List<String> rightKeys,
                     boolean leftOuter, String onDuplicate, int origin) {
    int[] lk = leftKeys.stream().mapToInt(left::indexOf).toArray();
    int[] rk = rightKeys.stream().mapToInt(right::indexOf).toArray();
    Set<Integer> rightKeySet = new HashSet<>();
    for (int k : rk) rightKeySet.add(k);

    List<Table.Col> cols = new ArrayList<>(left.cols());
    Set<String> taken = new HashSet<>(left.names());
    List<Integer> rightKept = new ArrayList<>();
    for (int i = 0; i < right.cols().size(); i++) {
      if (rightKeySet.contains(i)) continue;
      String name = right.cols().get(i).name();
      while (taken.contains(name)) name = name + "_right";
      taken.add(name);
      cols.add(right.cols().get(i).withName(name).withOrigin(origin));
      rightKept.add(i);
    }

    List<Object[]> rows = new ArrayList<>();
    long matched = 0;
    for (Object[] l : left.rows()) {
      List<Object[]> matches = new ArrayList<>();
      for (Object[] r : right.rows()) {
        if (keysEqual(l, lk, r, rk)) matches.add(r);
      }
      if (!matches.isEmpty()) {
        matched++;
        switch (onDuplicate) {
          case "last": case "error":
            matches = Collections.singletonList(matches.get(matches.size() - 1));
            break;
          case "first": matches = Collections.singletonList(matches.get(0)); break;
          case "all": break;
          default: throw new IllegalArgumentException("on_duplicate " + onDuplicate);
        }
      } else if (!leftOuter) {
        continue;
      } else {
        matches.add(null);
      }
      for (Object[] r : matches) {
        Object[] out = Arrays.copyOf(l, cols.size());
        for (int j = 0; j < rightKept.size(); j++) {
          out[l.length + j] = r == null ? null : r[rightKept.get(j)];
        }
        rows.add(out);
      }
    }

    Map<String, Long> counters = new LinkedHashMap<>();
    counters.put("rows_in", (long) left.rows().size());
    counters.put("rows_out", (long) rows.size());
    counters.put("matched", matched);
    counters.put("unmatched", left.rows().size() - matched);
    counters.putAll(referenceCounters(right, rk, onDuplicate));
    return new Joined(new Table(cols, rows), counters);
  }

  /** reference_rows, reference_keys, replaced_duplicates, null_key_rows. */
  private static Map<String, Long> referenceCounters(Table right, int[] rk, String onDuplicate) {
    long nullKeyRows = 0;
    long duplicates = 0;
    Set<List<Object>> keys = new HashSet<>();
    for (Object[] r : right.rows()) {
      List<Object> key = new ArrayList<>();
      boolean anyNull = false;
      for (int k : rk) {
        Object v = r[k];
        if (v == null) anyNull = true;
        key.add(v instanceof Number ? (Object) ((Number) v).longValue() : v);
      }
      if (anyNull) {
        nullKeyRows++;
      } else if (!keys.add(key)) {
        duplicates++;
      }
    }
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("reference_rows", (long) right.rows().size());
    m.put("reference_keys", (long) keys.size());
    m.put("replaced_duplicates", onDuplicate.equals("all") ? 0 : duplicates);
    m.put("null_key_rows", nullKeyRows);
    return m;
  }

  private static boolean keysEqual(Object[] l, int[] lk, Object[] r, int[] rk) {
    for (int k = 0; k < lk.length; k++) {
      Object a = l[lk[k]];
      Object b = r[rk[k]];
      if (a == null || b == null) return false;
      if (a instanceof Number) {
        if (((Number) a).longValue() != ((Number) b).longValue()) return false;
      } else if (!a.equals(b)) {
        return false;
      }
    }
    return true;
  }
}
