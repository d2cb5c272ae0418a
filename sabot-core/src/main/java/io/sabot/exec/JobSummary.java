package io.sabot.exec;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a job: per-operator counts, rejected records, warnings, wall time. What
 * {@code sabot run} prints at the end, and what tests assert on. {@code stopped}: a
 * {@link StopSignal} ended the job before its input did. A SINK's rows in are the rows it was
 * given, its rows out the rows it wrote durably ({@code rowsOut} adds those up).
 */
public record JobSummary(String jobName, boolean stopped, int threads, long wallNanos, long streamNanos,
                         long streamRowsIn, long rowsOut, long peakArrowBytes,
                         List<OperatorSummary> operators, List<String> warnings,
                         List<String> deadLetterFiles) {

  /** This summary with {@code more} warnings first (the optimizer's, found before the run). */
  public JobSummary withWarnings(List<String> more) {
    if (more.isEmpty()) return this;
    List<String> all = new java.util.ArrayList<>(more);
    all.addAll(warnings);
    return new JobSummary(jobName, stopped, threads, wallNanos, streamNanos, streamRowsIn, rowsOut,
        peakArrowBytes, operators, List.copyOf(all), deadLetterFiles);
  }

  public OperatorSummary operator(String name) {
    return operators.stream().filter(o -> o.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no operator " + name + " in the summary"));
  }

  public long rejectedRecords() {
    return operators.stream().mapToLong(o -> o.detail("rejected")).sum();
  }

  public double wallSeconds() {
    return wallNanos / 1e9;
  }

  /**
   * Stream input rows per second of the stream stage (reading, enriching and writing the stream,
   * after the reference tables were built).
   */
  public double rowsPerSecond() {
    return streamNanos == 0 ? 0 : streamRowsIn / (streamNanos / 1e9);
  }

  /** The summary as the CLI prints it. */
  public String format() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("Job %s %s in %.3f s on %d thread%s: %,d stream rows in, "
            + "%,d rows out; stream stage %.3f s, %s rows/s%n", jobName,
        stopped ? "stopped (stream input not read to its end)" : "finished", wallSeconds(), threads,
        threads == 1 ? "" : "s", streamRowsIn, rowsOut, streamNanos / 1e9,
        humanRate(rowsPerSecond())));
    sb.append(String.format("  peak Arrow memory %.1f MiB%n", peakArrowBytes / 1048576.0));
    sb.append(String.format("  %-22s %-9s %14s %14s  %s%n", "operator", "type", "rows in",
        "rows out", "details"));
    for (OperatorSummary o : operators) {
      sb.append(String.format("  %-22s %-9s %,14d %,14d  %s%n", o.name(), o.type(), o.rowsIn(),
          o.rowsOut(), details(o.details())));
    }
    for (String f : deadLetterFiles) sb.append("  rejected records written to ").append(f).append('\n');
    for (String w : warnings) sb.append("WARNING: ").append(w).append('\n');
    return sb.toString();
  }

  private static String details(Map<String, Object> d) {
    StringBuilder sb = new StringBuilder();
    d.forEach((k, v) -> {
      if (sb.length() > 0) sb.append(", ");
      sb.append(k).append('=').append(v instanceof Long || v instanceof Integer
          ? String.format("%,d", ((Number) v).longValue()) : v);
    });
    return sb.toString();
  }

  static String humanRate(double r) {
    if (r >= 1e6) return String.format("%.2f M", r / 1e6);
    if (r >= 1e3) return String.format("%.1f K", r / 1e3);
    return String.format("%.0f", r);
  }
}
