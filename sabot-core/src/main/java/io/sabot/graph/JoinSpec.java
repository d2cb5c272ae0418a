package io.sabot.graph;

import io.sabot.expr.Condition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A HASH_JOIN: each stream row (first input) looks up the reference table built from the second
 * input, matching {@code leftKey} to {@code rightKey} column by column.
 *
 * @param referenceFilter a condition on the reference input's columns, applied to the built
 *                        table after duplicates are resolved; null when there is none
 * @param referencePartitioning whether each process reads the whole reference table or only the
 *                        partitions numbered as the stream partitions it reads
 */
public record JoinSpec(List<String> leftKey, List<String> rightKey, JoinType joinType,
                       OnDuplicate onDuplicate, Condition referenceFilter,
                       ReferencePartitioning referencePartitioning, StateSpec state)
    implements OperatorSpec {
  public static final List<String> PARAMETERS = List.of("left_key", "right_key", "join_type",
      "on_duplicate", "reference_filter", "reference_partitioning", "state_backend",
      "memory_budget", "state_dir", "reference_refresh_ms");

  public JoinSpec {
    leftKey = List.copyOf(leftKey);
    rightKey = List.copyOf(rightKey);
    if (referencePartitioning == null) referencePartitioning = ReferencePartitioning.BROADCAST;
    if (state == null) state = StateSpec.MEMORY;
  }

  /** A join whose every process reads the whole table (broadcast), kept in memory. */
  public JoinSpec(List<String> leftKey, List<String> rightKey, JoinType joinType,
                  OnDuplicate onDuplicate, Condition referenceFilter) {
    this(leftKey, rightKey, joinType, onDuplicate, referenceFilter,
        ReferencePartitioning.BROADCAST, StateSpec.MEMORY);
  }

  /** A join whose table is partitioned so, kept in memory. */
  public JoinSpec(List<String> leftKey, List<String> rightKey, JoinType joinType,
                  OnDuplicate onDuplicate, Condition referenceFilter,
                  ReferencePartitioning referencePartitioning) {
    this(leftKey, rightKey, joinType, onDuplicate, referenceFilter, referencePartitioning,
        StateSpec.MEMORY);
  }

  /** A broadcast join whose table is kept so. */
  public JoinSpec(List<String> leftKey, List<String> rightKey, JoinType joinType,
                  OnDuplicate onDuplicate, Condition referenceFilter, StateSpec state) {
    this(leftKey, rightKey, joinType, onDuplicate, referenceFilter,
        ReferencePartitioning.BROADCAST, state);
  }

  /** {@code reference_partitioning: co_partitioned}. */
  public boolean isCoPartitioned() {
    return referencePartitioning == ReferencePartitioning.CO_PARTITIONED;
  }

  @Override
  public OperatorType type() {
    return OperatorType.HASH_JOIN;
  }

  public boolean isLeftOuter() {
    return joinType == JoinType.LEFT_OUTER;
  }

  /** {@code on_duplicate: all}: every reference row of a key matches. */
  public boolean keepsEveryDuplicate() {
    return onDuplicate == OnDuplicate.ALL;
  }

  public JoinSpec withJoinType(JoinType type) {
    return new JoinSpec(leftKey, rightKey, type, onDuplicate, referenceFilter,
        referencePartitioning, state);
  }

  public JoinSpec withReferenceFilter(Condition filter) {
    return new JoinSpec(leftKey, rightKey, joinType, onDuplicate, filter, referencePartitioning,
        state);
  }

  @Override
  public Map<String, Object> toParameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("left_key", asParameter(leftKey));
    m.put("right_key", asParameter(rightKey));
    m.put("join_type", joinType.jobName());
    m.put("on_duplicate", onDuplicate.jobName());
    if (referenceFilter != null) m.put("reference_filter", referenceFilter.toParameters());
    // written only when chosen: the job files (and plans shown) of broadcast joins stay as before
    if (isCoPartitioned()) m.put("reference_partitioning", referencePartitioning.jobName());
    state.writeTo(m);
    return m;
  }

  /** A key as the job file writes it: one column name, or a list of them. */
  public static Object asParameter(List<String> key) {
    return key.size() == 1 ? key.get(0) : key;
  }

  static JoinSpec parse(OperatorParameters p) {
    p.checkKeys(PARAMETERS, "a HASH_JOIN");
    List<String> left = p.columns("left_key");
    List<String> right = p.columns("right_key");
    if (!left.isEmpty() && !right.isEmpty() && left.size() != right.size()) {
      p.problem("left_key", "has " + left.size() + " column(s) " + left + " but right_key has "
          + right.size() + " " + right + "; they pair up in order");
    }
    JoinType joinType = JoinType.INNER;
    String type = p.text("join_type");
    if (type != null) {
      joinType = JoinType.parse(type);
      if (joinType == null) {
        p.problem("join_type", "value=" + type + " is not supported; use inner or left outer "
            + "(also: left, left_outer)");
      }
    }
    OnDuplicate onDuplicate = OnDuplicate.LAST;
    Object rawDup = p.raw("on_duplicate");
    // blank means the default, as it always has
    String dup = rawDup instanceof String && ((String) rawDup).isBlank() ? null
        : p.text("on_duplicate");
    if (dup != null) {
      try {
        onDuplicate = OnDuplicate.parse(dup);
      } catch (IllegalArgumentException e) {
        p.problem("on_duplicate", "value=" + dup + " is not supported; use last, first, error or all");
      }
    }
    Condition referenceFilter = p.condition("reference_filter");
    ReferencePartitioning partitioning = ReferencePartitioning.of(p.choice(
        "reference_partitioning", "broadcast", "broadcast", "co_partitioned"));
    StateSpec state = StateSpec.parse(p);
    return p.isValid() ? new JoinSpec(left, right, joinType, onDuplicate, referenceFilter,
        partitioning, state) : null;
  }
}
