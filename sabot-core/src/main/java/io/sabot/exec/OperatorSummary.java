package io.sabot.exec;

import io.sabot.graph.OperatorType;
import java.util.Map;

/**
 * What one operator did: rows in and out, and type-specific counters in {@code details}
 * (SOURCE: rejected; HASH_JOIN: matched, unmatched, reference_rows, reference_keys,
 * replaced_duplicates, null_key_rows, build_ms; SINK: rows written). {@code feedsReference}: the
 * operator builds a reference table (its source, and what runs before the join), so on agents
 * each one reads that input whole.
 */
public record OperatorSummary(String name, OperatorType type, long rowsIn, long rowsOut,
                              Map<String, Object> details, boolean feedsReference) {
  public OperatorSummary(String name, OperatorType type, long rowsIn, long rowsOut,
                         Map<String, Object> details) {
    this(name, type, rowsIn, rowsOut, details, false);
  }

  public long detail(String key) {
    Object v = details.get(key);
    return v instanceof Number ? ((Number) v).longValue() : 0;
  }
}
