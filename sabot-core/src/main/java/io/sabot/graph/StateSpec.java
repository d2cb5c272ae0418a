package io.sabot.graph;

import java.util.Map;

/**
 * A HASH_JOIN's state parameters: {@code state_backend}, {@code memory_budget} (bytes; null: a
 * quarter of the JVM's maximum heap), {@code state_dir} (null: a temporary folder removed when
 * the job ends; for a table read from a changelog, with any backend, the folder of its
 * snapshots, kept between runs) and {@code reference_refresh_ms} (a live table: 0, before
 * every stream batch, the changes its changelog has then; N, at most once every N ms).
 */
public record StateSpec(StateBackend backend, Long memoryBudget, String stateDir,
                        long refreshMillis) {
  public static final StateSpec MEMORY = new StateSpec(StateBackend.MEMORY, null, null);
  /** The longest reference_refresh_ms: an hour. */
  static final long MAX_REFRESH_MS = 3_600_000L;

  /** Changes taken before every stream batch. */
  public StateSpec(StateBackend backend, Long memoryBudget, String stateDir) {
    this(backend, memoryBudget, stateDir, 0);
  }

  /** Whether the table may leave memory (rocksdb, or auto). */
  public boolean mayUseStore() {
    return backend != StateBackend.MEMORY;
  }

  /** The budget in bytes: as given, or a quarter of the maximum heap. */
  public long effectiveBudget() {
    return memoryBudget != null ? memoryBudget : Runtime.getRuntime().maxMemory() / 4;
  }

  /** Writes the parameters that differ from the defaults (so old job files read back unchanged). */
  void writeTo(Map<String, Object> parameters) {
    if (backend != StateBackend.MEMORY) parameters.put("state_backend", backend.jobName());
    if (memoryBudget != null) parameters.put("memory_budget", memoryBudget);
    if (stateDir != null) parameters.put("state_dir", stateDir);
    if (refreshMillis > 0) parameters.put("reference_refresh_ms", refreshMillis);
  }

  static StateSpec parse(OperatorParameters p) {
    StateBackend backend = StateBackend.of(p.choice("state_backend", "memory", "memory",
        "rocksdb", "auto"));
    Long budget = null;
    if (p.has("memory_budget")) {
      long b = p.bytes("memory_budget"); // -1: not a size, reported
      if (b == 0) {
        p.problem("memory_budget", "value=" + p.raw("memory_budget") + " must be more than 0 "
            + "bytes; use a size such as 512m or 2g");
      }
      if (b > 0) budget = b;
    }
    String dir = p.text("state_dir");
    // state_dir with memory: for a table read from a changelog (its snapshots), checked in planning
    if (backend == StateBackend.MEMORY && p.has("memory_budget")) {
      p.problem("memory_budget", "applies only to state_backend: rocksdb or auto, but "
          + "state_backend is memory; set state_backend or drop the parameter");
    }
    long refresh = p.count("reference_refresh_ms", 0);
    if (refresh > MAX_REFRESH_MS) {
      p.problem("reference_refresh_ms", "value=" + refresh + " is more than an hour ("
          + MAX_REFRESH_MS + " ms); a live table's changes would wait that long");
      refresh = 0;
    }
    if (backend == StateBackend.MEMORY && budget == null && dir == null && refresh == 0) {
      return MEMORY;
    }
    return new StateSpec(backend, budget, dir, refresh);
  }
}
