package io.sabot.plan;

import io.sabot.graph.InvalidJobException;
import io.sabot.graph.JoinColumns;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.physical.ColumnBinding;
import io.sabot.expr.Conditions;
import io.sabot.physical.FilterBinder;
import io.sabot.physical.HashJoinExec;
import io.sabot.physical.RowFilter;
import io.sabot.reference.OnDuplicate;
import io.sabot.types.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Lowers a HASH_JOIN: checks the keys (they exist, their types can be compared exactly: int32 and
 * int64 widen to each other, otherwise the types must be equal, never a silent cast between
 * numbers and strings), turns the reference input into a table build, and appends the probe.
 *
 * <p>Output columns: every stream column, then every reference column but the reference keys;
 * a reference column whose name is taken gets the suffix {@code _right}.
 */
final class JoinLowering {
  private static final Set<String> KEYS = Set.of("left_key", "right_key", "join_type", "on_duplicate",
      "reference_filter");

  private JoinLowering() {}

  static Lowered lower(StreamOperatorNode node, Lowered left, Lowered right) {
    JobPlanner.checkKeys(node, KEYS);
    List<String> leftKeys = keyList(node, "left_key");
    List<String> rightKeys = keyList(node, "right_key");
    if (leftKeys.size() != rightKeys.size()) {
      throw JobPlanner.invalid(node, "left_key has " + leftKeys.size() + " column(s) " + leftKeys
          + " but right_key has " + rightKeys.size() + " " + rightKeys + "; they pair up in order");
    }
    boolean leftOuter = parseJoinType(node);
    OnDuplicate onDuplicate = parseOnDuplicate(node);
    if (left == null || right == null) return null;

    List<String> problems = new ArrayList<>();
    int[] leftIndexes = new int[leftKeys.size()];
    int[] rightIndexes = new int[rightKeys.size()];
    int keyOrigin = -1;
    for (int k = 0; k < leftKeys.size(); k++) {
      ColumnBinding l = find(left.bindings(), leftKeys.get(k));
      int r = indexOf(right.bindings(), rightKeys.get(k));
      if (l == null) {
        problems.add("column=" + leftKeys.get(k) + " (left_key) not found in the stream input of "
            + "operator " + node.name() + "; available: " + names(left.bindings()));
      }
      if (r < 0) {
        problems.add("column=" + rightKeys.get(k) + " (right_key) not found in the reference input "
            + "of operator " + node.name() + "; available: " + names(right.bindings()));
      }
      if (l == null || r < 0) continue;
      ColumnBinding rb = right.bindings().get(r);
      String typeProblem = keyTypeProblem(l, rb);
      if (typeProblem != null) problems.add("operator " + node.name() + ": " + typeProblem);
      if (keyOrigin >= 0 && l.origin() != keyOrigin) {
        problems.add("operator " + node.name() + ": left_key columns " + leftKeys + " come from "
            + "different inputs (the stream and an earlier reference table); use key columns of "
            + "one input");
      }
      keyOrigin = l.origin();
      leftIndexes[k] = l.index();
      rightIndexes[k] = r;
    }
    if (!problems.isEmpty()) throw new InvalidJobException(problems);

    RowFilter referenceFilter = referenceFilter(node, right);
    int refOrigin = left.origins();
    HashJoinExec probe = new HashJoinExec(refOrigin, keyOrigin, leftIndexes, leftOuter,
        onDuplicate == OnDuplicate.ALL);
    ReferenceBuild build = new ReferenceBuild(node, right.finish(null), rightIndexes, onDuplicate,
        referenceFilter, probe);
    return left.withJoin(build, outputColumns(left.bindings(), right.bindings(), rightIndexes,
        refOrigin));
  }

  private static List<ColumnBinding> outputColumns(List<ColumnBinding> left,
                                                   List<ColumnBinding> right, int[] rightKeys,
                                                   int refOrigin) {
    List<String> keyNames = new ArrayList<>();
    for (int k : rightKeys) keyNames.add(right.get(k).name());
    Map<String, String> names = JoinColumns.referenceOutputNames(
        left.stream().map(ColumnBinding::name).collect(Collectors.toList()),
        right.stream().map(ColumnBinding::name).collect(Collectors.toList()), keyNames);
    List<ColumnBinding> out = new ArrayList<>(left);
    for (int i = 0; i < right.size(); i++) {
      String name = names.get(right.get(i).name());
      if (name != null) out.add(new ColumnBinding(name, refOrigin, i, right.get(i).type()));
    }
    return out;
  }

  /**
   * The optional {@code reference_filter}: a condition (FILTER syntax) on the reference input's
   * columns, applied to the built table after duplicates are resolved.
   */
  @SuppressWarnings("unchecked")
  private static RowFilter referenceFilter(StreamOperatorNode node, Lowered right) {
    Object p = node.parameter("reference_filter");
    if (p == null) return null;
    if (!(p instanceof Map)) {
      throw JobPlanner.invalid(node, "parameter=reference_filter must be a condition map, e.g. "
          + "{column: STATUS, operator: '==', value: ACTIVE}");
    }
    // The filter runs on the built table, whose columns are the reference input's output
    // columns in order: bind to those positions, not to where the values sit in the source.
    List<ColumnBinding> tableColumns = new ArrayList<>();
    for (int i = 0; i < right.bindings().size(); i++) {
      ColumnBinding b = right.bindings().get(i);
      tableColumns.add(new ColumnBinding(b.name(), 0, i, b.type()));
    }
    try {
      return new FilterBinder(tableColumns, node.name())
          .bind(Conditions.parse((Map<String, Object>) p));
    } catch (IllegalArgumentException e) {
      throw JobPlanner.invalid(node, "parameter=reference_filter: " + e.getMessage());
    }
  }

  /** Null when the two key columns can be compared exactly, else what is wrong. */
  private static String keyTypeProblem(ColumnBinding l, ColumnBinding r) {
    ColumnType lt = l.type();
    ColumnType rt = r.type();
    boolean integral = (lt == ColumnType.INT32 || lt == ColumnType.INT64)
        && (rt == ColumnType.INT32 || rt == ColumnType.INT64);
    if (integral || (lt == rt && (lt == ColumnType.STRING || lt == ColumnType.TIMESTAMP))) {
      return null;
    }
    String hint = lt == ColumnType.FLOAT64 || rt == ColumnType.FLOAT64
        ? "; float64 keys are not supported (exact equality on floating point rarely holds)"
        : "; join keys must both be integers (int32/int64), both strings or both timestamps. "
          + "Declare the source schema so both sides have the same type";
    return "key type mismatch: left_key column=" + l.name() + " is " + lt + " but right_key column="
        + r.name() + " is " + rt + hint;
  }

  private static List<String> keyList(StreamOperatorNode node, String param) {
    Object v = node.parameter(param);
    List<String> out = new ArrayList<>();
    if (v instanceof String && !((String) v).isBlank()) {
      out.add((String) v);
    } else if (v instanceof List && !((List<?>) v).isEmpty()) {
      for (Object o : (List<?>) v) out.add(String.valueOf(o));
    } else {
      throw JobPlanner.invalid(node, "parameter=" + param + " is " + (v == null ? "missing" : "'" + v + "'")
          + "; give a column name or a list of column names");
    }
    return out;
  }

  private static boolean parseJoinType(StreamOperatorNode node) {
    Object v = node.parameter("join_type");
    if (v == null) return false;
    String t = String.valueOf(v).trim().toLowerCase(Locale.ROOT).replaceAll("[\\s_]+", " ");
    switch (t) {
      case "inner": return false;
      case "left": case "left outer": return true;
      default:
        throw JobPlanner.invalid(node, "parameter=join_type value=" + v + " is not supported; "
            + "use inner or left outer (also: left, left_outer)");
    }
  }

  private static OnDuplicate parseOnDuplicate(StreamOperatorNode node) {
    Object v = node.parameter("on_duplicate");
    if (v == null) return OnDuplicate.LAST;
    try {
      return OnDuplicate.parse(String.valueOf(v));
    } catch (IllegalArgumentException e) {
      throw JobPlanner.invalid(node, "parameter=on_duplicate value=" + v
          + " is not supported; use last, first, error or all");
    }
  }

  private static ColumnBinding find(List<ColumnBinding> bindings, String name) {
    int i = indexOf(bindings, name);
    return i < 0 ? null : bindings.get(i);
  }

  private static int indexOf(List<ColumnBinding> bindings, String name) {
    for (int i = 0; i < bindings.size(); i++) if (bindings.get(i).name().equals(name)) return i;
    return -1;
  }

  private static String names(List<ColumnBinding> bindings) {
    return String.join(", ", bindings.stream().map(ColumnBinding::name).toArray(String[]::new));
  }
}
