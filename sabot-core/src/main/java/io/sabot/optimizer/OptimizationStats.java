package io.sabot.optimizer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seed's optimization statistics, plus the columns each source no longer reads and the time
 * the optimizer took. {@link #asMap()} is what {@code sabot explain --json} prints under "stats".
 */
public record OptimizationStats(long filtersPushed, long projectionsPushed, long joinsReordered,
                                long operatorsFused, long deadCodeEliminated,
                                long joinsSimplified, long contradictions,
                                Map<String, Long> columnsPrunedPerSource,
                                double optimizationMillis) {

  static OptimizationStats from(Map<String, Long> counters, double millis) {
    Map<String, Long> pruned = new LinkedHashMap<>();
    counters.forEach((k, v) -> {
      if (k.startsWith("columns_pruned.")) pruned.put(k.substring("columns_pruned.".length()), v);
    });
    return new OptimizationStats(counters.getOrDefault("filters_pushed", 0L),
        counters.getOrDefault("projections_pushed", 0L),
        counters.getOrDefault("joins_reordered", 0L),
        counters.getOrDefault("operators_fused", 0L),
        counters.getOrDefault("dead_code_eliminated", 0L),
        counters.getOrDefault("joins_simplified", 0L),
        counters.getOrDefault("contradictions", 0L), pruned, millis);
  }

  public long columnsPruned() {
    return columnsPrunedPerSource.values().stream().mapToLong(Long::longValue).sum();
  }

  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("filters_pushed", filtersPushed);
    m.put("projections_pushed", projectionsPushed);
    m.put("joins_reordered", joinsReordered);
    m.put("operators_fused", operatorsFused);
    m.put("dead_code_eliminated", deadCodeEliminated);
    m.put("joins_simplified", joinsSimplified);
    m.put("contradictions", contradictions);
    m.put("columns_pruned", columnsPruned());
    m.put("columns_pruned_per_source", columnsPrunedPerSource);
    m.put("optimization_ms", Math.round(optimizationMillis * 1000) / 1000.0);
    return m;
  }
}
