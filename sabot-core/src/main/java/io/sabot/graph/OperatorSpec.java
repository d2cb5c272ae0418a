package io.sabot.graph;

import java.util.Map;

/**
 * What one operator does, parsed and checked once from its job-file parameters: the typed form
 * that the planner, lowering, the optimizer's rules, explain and statistics read, and that an
 * agent receives. {@link StreamOperatorNode#spec()} gives a node's spec.
 *
 * <pre>
 *   SOURCE     {@link SourceSpec}   a connector's spec + on_error, rejects_path, batch_size
 *   FILTER     {@link FilterSpec}   one condition
 *   SELECT     {@link SelectSpec}   the columns kept, in order, with renames
 *   HASH_JOIN  {@link JoinSpec}     keys, {@link JoinType}, {@link OnDuplicate}, reference_filter
 *   SINK       {@link SinkSpec}     a connector's spec
 * </pre>
 *
 * <p>A spec turns back into parameters with {@link #toParameters()}, which parse to an equal
 * spec: that map (as JSON, in a job file) is how a spec travels.
 */
public sealed interface OperatorSpec
    permits SourceSpec, FilterSpec, SelectSpec, JoinSpec, SinkSpec {

  OperatorType type();

  /** Job-file parameters that parse back to an equal spec; defaults are written out. */
  Map<String, Object> toParameters();
}
