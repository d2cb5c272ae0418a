package io.sabot.plan;

import io.sabot.connect.ChangelogSource;
import io.sabot.connect.KeyPartitioned;
import io.sabot.error.InvalidJobException;
import io.sabot.expr.Condition;
import io.sabot.graph.JoinColumns;
import io.sabot.graph.JoinSpec;
import io.sabot.graph.SourceSpec;
import io.sabot.graph.StateSpec;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.physical.ColumnBinding;
import io.sabot.physical.FilterBinder;
import io.sabot.physical.HashJoinExec;
import io.sabot.physical.RowFilter;
import io.sabot.reference.ReferenceStores;
import io.sabot.types.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  private JoinLowering() {}

  static Lowered lower(StreamOperatorNode node, Lowered left, Lowered right) {
    JoinSpec spec = node.spec(JoinSpec.class);
    List<String> leftKeys = spec.leftKey();
    List<String> rightKeys = spec.rightKey();
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
      if (typeProblem != null) problems.add("operator=" + node.name() + " " + typeProblem);
      if (keyOrigin >= 0 && l.origin() != keyOrigin) {
        problems.add("operator=" + node.name() + " parameter=left_key columns " + leftKeys + " come from "
            + "different inputs (the stream and an earlier reference table); use key columns of "
            + "one input");
      }
      keyOrigin = l.origin();
      leftIndexes[k] = l.index();
      rightIndexes[k] = r;
    }
    if (spec.isCoPartitioned()) coPartitioningProblems(node, left, right, problems);
    if (!problems.isEmpty()) throw new InvalidJobException(problems);

    RowFilter referenceFilter = referenceFilter(node, spec.referenceFilter(), right);
    int refOrigin = left.origins();
    HashJoinExec probe = new HashJoinExec(refOrigin, keyOrigin, leftIndexes, spec.isLeftOuter(),
        spec.keepsEveryDuplicate());
    ReferenceBuild build = new ReferenceBuild(node, right.finish(null), rightIndexes,
        spec.onDuplicate(), referenceFilter, probe);
    checkStateBackend(node, spec.state(), build.input());
    return left.withJoin(build, outputColumns(left.bindings(), right.bindings(), rightIndexes,
        refOrigin));
  }

  /**
   * {@code reference_partitioning: co_partitioned} pairs stream partition p with reference
   * partition p, which only means something when both sides are split by a hash of the key
   * ({@link KeyPartitioned}: Kafka topics) and the reference side is a live changelog.
   */
  private static void coPartitioningProblems(StreamOperatorNode node, Lowered left,
                                             Lowered right, List<String> problems) {
    String where = "operator=" + node.name() + " parameter=reference_partitioning "
        + "value=co_partitioned";
    String fix = "; co_partitioned needs the stream and the reference table to be Kafka topics "
        + "(kafka_topic: ...) with as many partitions, keyed alike by the join key; else use "
        + "reference_partitioning: broadcast (every process reads the whole table)";
    if (!(left.source() instanceof KeyPartitioned)) {
      problems.add(where + " but the stream input " + left.sourceNode().name()
          + " is not a Kafka topic (" + reads(left) + ")" + fix);
    }
    if (!(right.source() instanceof KeyPartitioned)
        || !(right.source() instanceof ChangelogSource)) {
      problems.add(where + " but the reference input " + right.sourceNode().name()
          + " is not a Kafka topic (" + reads(right) + ")" + fix);
    }
    if (node.spec(JoinSpec.class).state().refreshMillis() > 0) {
      problems.add("operator=" + node.name() + " parameter=reference_refresh_ms applies only to "
          + "reference_partitioning: broadcast (a co-partitioned table catches up on its "
          + "partitions before every stream batch); drop one of the two");
    }
  }

  /** What a source reads, as its job file names it: {@code path=securities.csv}. */
  private static String reads(Lowered input) {
    Map<String, Object> p = input.sourceNode().spec(SourceSpec.class).connector().toParameters();
    return p.isEmpty() ? input.source().describe()
        : p.entrySet().iterator().next().getKey() + "=" + p.entrySet().iterator().next().getValue();
  }

  /**
   * A store needs its module (it holds static tables and live ones, changed in place); with
   * memory, state_dir is the folder of a live table's snapshots, meaningless for others.
   */
  private static void checkStateBackend(StreamOperatorNode node, StateSpec state, PipelinePlan input) {
    if (!state.mayUseStore()) {
      if (state.stateDir() != null && !(input.source() instanceof ChangelogSource)) {
        throw new InvalidJobException("operator=" + node.name() + " parameter=state_dir applies "
            + "only to state_backend: rocksdb or auto, or to a reference table read from a Kafka "
            + "changelog (its snapshots), but state_backend is memory and " + input.sourceName()
            + " is not a changelog; set state_backend or drop the parameter");
      }
      return;
    }
    String at = "operator=" + node.name() + " parameter=state_backend value=" + state.backend() + " ";
    if (ReferenceStores.find("rocksdb") == null) {
      throw new InvalidJobException(at + "needs the sabot-rocksdb module, which is not on the class "
          + "path; add it (the sabot command carries it) or use state_backend: memory");
    }
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
  private static RowFilter referenceFilter(StreamOperatorNode node, Condition condition,
                                           Lowered right) {
    if (condition == null) return null;
    // The filter runs on the built table, whose columns are the reference input's output
    // columns in order: bind to those positions, not to where the values sit in the source.
    List<ColumnBinding> tableColumns = new ArrayList<>();
    for (int i = 0; i < right.bindings().size(); i++) {
      ColumnBinding b = right.bindings().get(i);
      tableColumns.add(new ColumnBinding(b.name(), 0, i, b.type()));
    }
    try {
      return new FilterBinder(tableColumns, node.name()).bind(condition);
    } catch (IllegalArgumentException e) {
      throw new InvalidJobException("operator=" + node.name() + " parameter=reference_filter "
          + e.getMessage());
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
    String unsupported = unsupportedKeyType(l, "left_key");
    if (unsupported == null) unsupported = unsupportedKeyType(r, "right_key");
    if (unsupported != null) {
      return unsupported + " (left_key column=" + l.name() + " is " + lt + ", right_key column="
          + r.name() + " is " + rt + "); " + ALLOWED_KEYS;
    }
    return "key type mismatch: left_key column=" + l.name() + " is " + lt + " but right_key column="
        + r.name() + " is " + rt + "; " + ALLOWED_KEYS + ", both of the same kind. Declare the "
        + "source schema so both sides have the same type";
  }

  private static final String ALLOWED_KEYS = "join keys may be int32/int64 (which match each "
      + "other numerically), string or timestamp";

  /** Why a key column's own type cannot be a key (float64, bool), or null. */
  private static String unsupportedKeyType(ColumnBinding key, String param) {
    if (key.type() == ColumnType.FLOAT64) {
      return param + " column=" + key.name() + " is float64, which cannot be a join key: equality "
          + "on floating point rarely holds (0.1 + 0.2 != 0.3), so rows would silently not match";
    }
    if (key.type() == ColumnType.BOOL) {
      return param + " column=" + key.name() + " is bool, which cannot be a join key: two values "
          + "would turn the join into a cross product of each half";
    }
    return null;
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
