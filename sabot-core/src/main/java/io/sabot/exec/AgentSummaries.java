package io.sabot.exec;

import io.sabot.cluster.AgentReport;
import io.sabot.cluster.AgentSummary;
import io.sabot.cluster.ClusterJob;
import io.sabot.connect.KeptSnapshot;
import io.sabot.graph.OperatorType;
import io.sabot.reference.ReferenceTableStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The summary of a job run on agents. Each agent's final report carries its own summary's
 * operator lines ({@link #of}); {@link #merge} adds them up into one {@link JobSummary}, which
 * prints as {@code sabot run}'s does:
 *
 * <pre>
 *   stream side (source, filter, join, sink): each agent did a share   ─► rows and counters added
 *   reference side (feedsReference): each agent read the input whole   ─► one agent's figures (max)
 *   a join's table figures (reference_rows, build_ms, versions, ...)   ─► max over the agents
 *   threads added; wall time, stream stage and peak memory: the largest of one agent
 * </pre>
 */
public final class AgentSummaries {
  /** A join's or source's counters that count stream rows: each agent has a share of them. */
  static final Set<String> SHARED_COUNTERS = Set.of("matched", "unmatched", "rejected");

  private AgentSummaries() {}

  /** What an agent reports of its {@code summary}. */
  public static AgentSummary of(JobSummary summary) {
    List<AgentSummary.Operator> operators = new ArrayList<>();
    for (OperatorSummary o : summary.operators()) {
      operators.add(new AgentSummary.Operator(o.name(), o.type(), o.rowsIn(), o.rowsOut(),
          o.details(), o.feedsReference()));
    }
    return new AgentSummary(summary.threads(), summary.wallNanos() / 1_000_000,
        summary.streamNanos() / 1_000_000, summary.peakArrowBytes(), operators,
        summary.warnings(), summary.deadLetterFiles());
  }

  /**
   * The reference tables of a finished job, from its joins' summary lines: rows, versions (1
   * unless the table was kept live), how long the first version took, where the table was kept
   * and the snapshot kept between runs, as a running job's progress has them.
   */
  public static List<ReferenceTableStatus> references(JobSummary summary) {
    List<ReferenceTableStatus> out = new ArrayList<>();
    for (OperatorSummary o : summary.operators()) {
      if (o.type() != OperatorType.HASH_JOIN) continue;
      long versions = o.details().containsKey("reference_versions")
          ? o.detail("reference_versions") : 1;
      out.add(new ReferenceTableStatus(o.name(), o.detail("reference_rows"), versions,
          o.detail("build_ms"), o.detail("reference_rows_changed_in_place"), storage(o),
          snapshot(o)));
    }
    return out;
  }

  /**
   * A join line's backend ({@code state_backend}, memory when absent) and its figures; null
   * (unknown) when its table was never built: the job stopped or failed while it loaded (a
   * table that might have gone to RocksDB is not told as memory).
   */
  private static ReferenceTableStatus.Storage storage(OperatorSummary join) {
    Object backend = join.details().get("state_backend");
    if (backend == null && !join.details().containsKey("reference_rows")) return null;
    if (backend == null || !backend.toString().startsWith("rocksdb")) {
      return ReferenceTableStatus.Storage.inMemory(join.detail("bytes_in_memory"), join.rowsIn());
    }
    return new ReferenceTableStatus.Storage("rocksdb", join.detail("bytes_in_memory"),
        join.detail("bytes_on_disk"), join.detail("lookups"),
        hitRate(join.details().get("block_cache_hit_rate")));
  }

  /**
   * A summary's block_cache_hit_rate as a share: the summary says a percentage with one decimal
   * ("97.1%"), or "n/a" (-1); an older agent's in its locale's digits ("97,1%").
   */
  static double hitRate(Object rate) {
    String text = String.valueOf(rate);
    if (!text.endsWith("%")) return -1;
    try {
      return Double.parseDouble(text.substring(0, text.length() - 1).replace(',', '.')) / 100;
    } catch (NumberFormatException e) {
      return -1; // a figure for the eye only: never the reason a report fails
    }
  }

  /** The snapshot a join line's changelog reader kept between runs; null when none. */
  private static KeptSnapshot snapshot(OperatorSummary join) {
    if (!join.details().containsKey("snapshot_age_seconds")) return null;
    boolean restored = Boolean.TRUE.equals(join.details().get("restored_from_snapshot"));
    return new KeptSnapshot(join.detail("snapshot_age_seconds"), join.detail("snapshot_bytes"),
        restored ? join.detail("restore_millis") : -1);
  }

  /**
   * The summaries of every agent that finished or stopped the job, merged; empty when none has
   * (every agent failed it, or none reported yet). Stopped when one agent stopped it.
   */
  public static Optional<JobSummary> merge(ClusterJob job) {
    List<AgentReport> done = job.agents().stream().filter(a -> a.summary() != null).toList();
    if (done.isEmpty()) return Optional.empty();
    Map<String, OperatorSummary> operators = new LinkedHashMap<>();
    Set<String> warnings = new LinkedHashSet<>();
    Set<String> deadLetters = new LinkedHashSet<>();
    boolean stopped = false;
    int threads = 0;
    long wall = 0, stream = 0, peak = 0, in = 0, out = 0;
    for (AgentReport a : done) {
      AgentSummary s = a.summary();
      stopped |= a.state().equals("stopped");
      threads += s.threads();
      wall = Math.max(wall, s.wallMillis());
      stream = Math.max(stream, s.streamMillis());
      peak = Math.max(peak, s.peakArrowBytes());
      in += a.rowsIn();
      out += a.rowsOut();
      for (AgentSummary.Operator o : s.operators()) operators.merge(o.name(), line(o), AgentSummaries::add);
      for (String w : s.warnings()) warnings.add("agent " + a.agent() + ": " + w);
      deadLetters.addAll(s.deadLetters());
    }
    return Optional.of(new JobSummary(job.name(), stopped, threads, wall * 1_000_000,
        stream * 1_000_000, in, out, peak, List.copyOf(operators.values()),
        List.copyOf(warnings), List.copyOf(deadLetters)));
  }

  private static OperatorSummary line(AgentSummary.Operator o) {
    return new OperatorSummary(o.name(), o.type(), o.rowsIn(), o.rowsOut(), o.details(),
        o.feedsReference());
  }

  /** Two agents' lines of one operator as one. */
  static OperatorSummary add(OperatorSummary a, OperatorSummary b) {
    boolean whole = a.feedsReference();
    Map<String, Object> details = new LinkedHashMap<>(a.details());
    b.details().forEach((key, v) -> details.merge(key, v, (x, y) -> {
      if (!(x instanceof Number) || !(y instanceof Number)) return x;
      long l = ((Number) x).longValue();
      long r = ((Number) y).longValue();
      return !whole && SHARED_COUNTERS.contains(key) ? l + r : Math.max(l, r);
    }));
    return new OperatorSummary(a.name(), a.type(),
        whole ? Math.max(a.rowsIn(), b.rowsIn()) : a.rowsIn() + b.rowsIn(),
        whole ? Math.max(a.rowsOut(), b.rowsOut()) : a.rowsOut() + b.rowsOut(), details, whole);
  }
}
