package io.sabot.exec;

import io.sabot.graph.JoinSpec;
import io.sabot.graph.OperatorType;
import io.sabot.physical.HashJoinExec;
import io.sabot.plan.OperatorStep;
import io.sabot.plan.PhysicalPlan;
import io.sabot.plan.PipelinePlan;
import io.sabot.plan.ReferenceBuild;
import io.sabot.plan.SinkPlan;
import io.sabot.reference.ReferenceStore;
import io.sabot.reference.ReferenceTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;

/**
 * Turns the counters of a finished run into a {@link JobSummary}, operator by operator, in the
 * order data flows (reference inputs before the join that uses them), and adds the warnings a
 * user should see: a join that matched almost nothing, with sample keys from both sides.
 */
final class SummaryBuilder {
  /** Below this share of matched stream rows a join gets a warning. */
  static final double LOW_MATCH_RATE = 0.01;

  private final PhysicalPlan plan;
  private final Map<String, LocalExecutor.SourceCounters> sources;
  private final Map<String, Long> buildMillis;
  private final Map<String, LocalExecutor.SinkCounters> sinkRows;
  private final List<OperatorSummary> operators = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final List<String> deadLetterFiles = new ArrayList<>();
  private final Map<String, Map<String, Object>> joinDetails = new LinkedHashMap<>();

  SummaryBuilder(PhysicalPlan plan, Map<String, LocalExecutor.SourceCounters> sources,
                 Map<String, Long> buildMillis, Map<String, LocalExecutor.SinkCounters> sinkRows) {
    this.plan = plan;
    this.sources = sources;
    this.buildMillis = buildMillis;
    this.sinkRows = sinkRows;
  }

  /** More details per join (a live reference table's changelog counters). */
  SummaryBuilder joinDetails(Map<String, Map<String, Object>> more) {
    joinDetails.putAll(more);
    return this;
  }

  JobSummary build(long wallNanos, long streamNanos, long peakArrowBytes, int threads,
                   boolean stopped) {
    long streamIn = 0;
    long out = 0;
    for (SinkPlan s : plan.sinks()) {
      addPipeline(s.stream(), false);
      LocalExecutor.SinkCounters counters = sinkRows.get(s.sinkNode().name());
      long handed = counters == null ? 0 : counters.handed().sum();
      long written = counters == null ? 0 : counters.durable().sum();
      operators.add(new OperatorSummary(s.sinkNode().name(), OperatorType.SINK, handed, written,
          Map.of()));
      if (written < handed) {
        warnings.add(String.format("operator=%s wrote %,d of the %,d rows it was given: the job "
            + "stopped before its input ended, and the others were not durable yet (a file with "
            + "mode: overwrite or fail_if_exists appears only when the input ends, and is left as "
            + "it was); their source positions were not committed", s.sinkNode().name(), written,
            handed));
      }
      LocalExecutor.SourceCounters c = sources.get(s.stream().sourceName());
      streamIn += c == null ? 0 : c.rowsRead().sum();
      out += written;
    }
    return new JobSummary(plan.graph().jobName(), stopped, threads, wallNanos, streamNanos,
        streamIn, out, peakArrowBytes,
        List.copyOf(operators), List.copyOf(warnings), List.copyOf(deadLetterFiles));
  }

  /** {@code feedsReference}: {@code p} is the input of a reference table. */
  private void addPipeline(PipelinePlan p, boolean feedsReference) {
    for (ReferenceBuild b : p.builds()) addPipeline(b.input(), true);
    addSource(p, feedsReference);
    for (OperatorStep step : p.operators()) {
      if (step.node().operatorType() == OperatorType.HASH_JOIN) {
        addJoin(step, (HashJoinExec) step.metrics(), feedsReference);
      } else {
        operators.add(new OperatorSummary(step.node().name(), step.node().operatorType(),
            step.metrics().rowsIn(), step.metrics().rowsOut(), Map.of(), feedsReference));
      }
    }
  }

  private void addSource(PipelinePlan p, boolean feedsReference) {
    LocalExecutor.SourceCounters c = sources.get(p.sourceName());
    long read = c == null ? 0 : c.rowsRead().sum();
    long rejected = c == null ? 0 : c.deadLetters().rejected();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("rejected", rejected);
    if (c != null && c.deadLetters().writtenTo() != null) {
      deadLetterFiles.add(c.deadLetters().writtenTo().toString());
    }
    if (c != null) deadLetterFiles.addAll(c.deadLetters().otherDestinations());
    operators.add(new OperatorSummary(p.sourceName(), OperatorType.SOURCE, read + rejected, read, d,
        feedsReference));
  }

  private void addJoin(OperatorStep step, HashJoinExec join, boolean feedsReference) {
    String name = step.node().name();
    Map<String, Object> d = new LinkedHashMap<>();
    long in = join.rowsIn();
    d.put("matched", join.matched());
    d.put("unmatched", join.unmatched());
    ReferenceTable t = join.table();
    if (t != null) {
      d.put("reference_rows", t.liveRowCount());
      d.put("reference_keys", (long) t.keyCount());
      d.put("replaced_duplicates", t.replacedDuplicates());
      d.put("null_key_rows", t.nullKeyRows());
      if (t.filteredOutRows() > 0) d.put("reference_filtered_out", t.filteredOutRows());
      long bytes = t.sizeInBytes();
      if (t.liveRowCount() > 0) d.put("reference_bytes_per_row", bytes / t.liveRowCount());
      d.put("bytes_in_memory", bytes);
    }
    ReferenceStore store = join.store();
    if (store != null) {
      d.put("reference_rows", store.rowCount());
      d.put("reference_keys", store.keyCount());
      d.put("replaced_duplicates", store.replacedDuplicates());
      d.put("null_key_rows", store.nullKeyRows());
      if (store.filteredOutRows() > 0) d.put("reference_filtered_out", store.filteredOutRows());
    }
    if (buildMillis.containsKey(name)) d.put("build_ms", buildMillis.get(name));
    d.putAll(joinDetails.getOrDefault(name, Map.of()));
    if (store != null) d.putAll(store.stats());
    operators.add(new OperatorSummary(name, OperatorType.HASH_JOIN, in, join.rowsOut(), d,
        feedsReference));
    if (in > 0 && (double) join.matched() / in < LOW_MATCH_RATE) {
      warnings.add(lowMatchWarning(step, join, in));
    }
  }

  private String lowMatchWarning(OperatorStep step, HashJoinExec join, long in) {
    JoinSpec spec = step.node().spec(JoinSpec.class);
    Object leftKey = JoinSpec.asParameter(spec.leftKey());
    Object rightKey = JoinSpec.asParameter(spec.rightKey());
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("join %s matched %,d of %,d stream rows (%.2f%%). ", step.node().name(),
        join.matched(), in, 100.0 * join.matched() / in));
    List<String> streamSample = join.sampleStreamKeys();
    sb.append("Sample stream keys ").append(leftKey).append(' ')
        .append(streamSample.isEmpty() ? "" : streamSample.get(0)).append(": ")
        .append(streamSample.isEmpty() ? List.of() : streamSample.subList(1, streamSample.size()));
    ReferenceTable t = join.table();
    if (t != null) {
      sb.append("; sample reference keys ").append(rightKey).append(" (");
      int[] keys = t.keyColumns();
      for (int k = 0; k < keys.length; k++) {
        if (k > 0) sb.append(", ");
        sb.append(t.schema().field(keys[k]).type());
      }
      sb.append("): ").append(sampleReferenceKeys(t));
    }
    sb.append(". Check that both key columns hold the same values in the same form "
        + "(leading zeros, case, spaces, int vs string).");
    return sb.toString();
  }

  private static List<String> sampleReferenceKeys(ReferenceTable t) {
    List<String> out = new ArrayList<>();
    int[] keys = t.keyColumns();
    for (int row = 0; row < t.rowCount() && out.size() < 5; row++) {
      StringBuilder sb = new StringBuilder();
      for (int k = 0; k < keys.length; k++) {
        if (k > 0) sb.append('|');
        FieldVector v = t.column(keys[k]);
        Object value = v.getObject(row);
        sb.append(value instanceof org.apache.arrow.vector.util.Text ? "'" + value + "'" : value);
      }
      out.add(sb.toString());
    }
    return out;
  }
}
