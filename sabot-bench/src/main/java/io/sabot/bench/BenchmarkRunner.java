package io.sabot.bench;

import io.sabot.optimizer.PlanExplainer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code sabot bench}: WORKLOAD.md's query through the engine and through a plain HashMap, in
 * this process, on the same generated data.
 *
 * <pre>
 *   prepare (not timed)   generate quotes + securities ─► memory tables (─► files, once)
 *   warm-up               engine x W, HashMap x W
 *   timed, interleaved    engine run i, HashMap run i       for i = 1..runs
 *   report                each run, medians, ratio; row counts must agree
 *   RESULT rows_per_s=<engine median> out=<rows> ratio_vs_hashmap=<engine / HashMap>
 * </pre>
 *
 * The rate is N divided by the wall time of the join stage (the engine's stream stage, which
 * starts once the reference table is built; the baseline's parallel stream, after its map is
 * built); build times are reported beside it. Interleaving the two systems' runs spreads the
 * noise of a shared machine over both.
 */
public final class BenchmarkRunner {
  private final BenchOptions options;
  private final PrintStream out;

  public BenchmarkRunner(BenchOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Medians of the engine and the baseline (null without baseline), and their ratio (NaN). */
  public record Report(Measurement engine, Measurement baseline, double ratio) {
    public double engineRowsPerSecond() {
      return engine.rowsPerSecond();
    }

    public long rowsOut() {
      return engine.rowsOut();
    }

    /** The last line of the report. */
    public String resultLine() {
      return String.format(Locale.ROOT, "RESULT rows_per_s=%.0f out=%d ratio_vs_hashmap=%s",
          engine.rowsPerSecond(), engine.rowsOut(),
          Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f", ratio));
    }
  }

  public Report run() {
    header("sabot bench", options);
    try (Workload data = Workload.prepare(options, out)) {
      EngineRun engine = new EngineRun(() -> BenchJobs.wellWritten(data, options),
          options.threads(), true);
      HashMapBaseline baseline = options.baseline() ? new HashMapBaseline(data, options) : null;
      try {
        return measure(engine, baseline);
      } finally {
        if (baseline != null) baseline.close();
      }
    }
  }

  private Report measure(EngineRun engine, HashMapBaseline baseline) {
    for (int i = 1; i <= options.warmups(); i++) {
      out.println(engine.run().format("engine  warm-up " + i));
      if (baseline != null) out.println(baseline.run().format("hashmap warm-up " + i));
    }
    List<Measurement> e = new ArrayList<>();
    List<Measurement> b = new ArrayList<>();
    for (int i = 1; i <= options.runs(); i++) {
      e.add(engine.run());
      out.println(e.get(i - 1).format("engine  run " + i));
      if (baseline != null) {
        b.add(baseline.run());
        out.println(b.get(i - 1).format("hashmap run " + i));
      }
    }
    out.print("engine plan (optimized, as run):\n"
        + indent(planAsRun(engine.last())));
    out.print("engine summary of the last run:\n" + indent(engine.last().summary().format()));
    Measurement em = Measurement.median(e);
    out.println("engine (JobGraph -> PlanOptimizer -> JobManager/LocalExecutor, as sabot run):");
    out.println(em.format("median"));
    long engineRows = sameRows("engine", e);
    Measurement bm = null;
    double ratio = Double.NaN;
    if (baseline != null) {
      bm = Measurement.median(b);
      out.printf("HashMap baseline (HashMap<Long, Security>, parallel stream on %d thread%s, "
          + "data in memory as Java objects):%n", options.threads(), options.threads() == 1 ? "" : "s");
      out.println(bm.format("median"));
      long baselineRows = sameRows("HashMap baseline", b);
      if (baselineRows != engineRows) {
        throw new BenchmarkFailure(String.format("output rows disagree: the engine wrote %,d rows, "
            + "the HashMap baseline %,d; one of them is wrong", engineRows, baselineRows));
      }
      ratio = em.rowsPerSecond() / bm.rowsPerSecond();
      out.printf(Locale.ROOT, "ratio engine / HashMap (median rows/s): %.2f%n", ratio);
    }
    Report report = new Report(em, bm, ratio);
    out.println(report.resultLine());
    out.flush();
    return report;
  }

  /** The output rows every run agreed on; a benchmark failure if they differ. */
  static long sameRows(String system, List<Measurement> runs) {
    long first = runs.get(0).rowsOut();
    for (Measurement m : runs) {
      if (m.rowsOut() != first) {
        throw new BenchmarkFailure(system + " wrote " + first + " rows in one run and "
            + m.rowsOut() + " in another");
      }
    }
    return first;
  }

  void header(String what, BenchOptions o) {
    Runtime rt = Runtime.getRuntime();
    out.printf("%s: %s%n", what, o.describe());
    out.printf("jvm: %s %s, %d cores, max heap %s%n", System.getProperty("java.vm.name"),
        System.getProperty("java.version"), rt.availableProcessors(), Measurement.mib(rt.maxMemory()));
  }

  static String indent(String text) {
    StringBuilder sb = new StringBuilder();
    for (String line : text.split("\n")) sb.append("    ").append(line).append('\n');
    return sb.toString();
  }

  /**
   * The plan a run executed, its schemas taken from the sources that run opened (so printing it
   * reads no source again).
   */
  static String planAsRun(io.sabot.exec.JobResult run) {
    return run.optimization() == null ? PlanExplainer.tree(run.executedGraph())
        : PlanExplainer.tree(run.executedGraph(), run.optimization().sources());
  }
}
