package io.sabot.bench;

import io.sabot.optimizer.PlanExplainer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code sabot bench}: docs/workload.md's query through the engine, through a plain HashMap and
 * through a hand-written columnar loop ({@link ColumnarLoopBaseline}), in this process, on the
 * same generated data.
 *
 * <pre>
 *   prepare (not timed)   generate quotes + securities ─► memory tables (─► files, once);
 *                         copy them into Java objects (HashMap) and plain arrays (loop)
 *   warm-up               engine x W, HashMap x W, loop x W (each shape)
 *   timed, interleaved    engine run i, HashMap run i, loop run i (each shape)   for i = 1..runs
 *   report                each run, medians, ratios; row counts must agree
 *   RESULT rows_per_s=<engine median> out=<rows> ratio_vs_hashmap=<engine / HashMap>
 *          ratio_vs_loop=<engine / loop doing the sink's output work>
 *          ratio_vs_streaming_loop=<engine / streaming-shape loop, or n/a for sink discard>
 * </pre>
 *
 * The loop's shape follows the sink: discard is compared with the filter+probe loop, batches
 * and devnull with the loop that gathers the 7 output columns into whole-result arrays (and,
 * second, with the one that gathers into reused 4,096-row buffers, as a streaming engine would).
 *
 * <p>The rate is N divided by the wall time of the join stage (the engine's stream stage, which
 * starts once the reference table is built; the baselines' stream, after their map or table is
 * built); build times are reported beside it. Interleaving the systems' runs spreads the noise of
 * a shared machine over all of them.
 */
public final class BenchmarkRunner {
  private final BenchOptions options;
  private final PrintStream out;

  public BenchmarkRunner(BenchOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /**
   * Medians of the engine and the baselines (null without baselines), and the engine's ratio to
   * each (NaN): the HashMap baseline; the columnar loop doing the same output work as the sink
   * (discard: filter+probe; batches, devnull: the array shape); the streaming-shape loop
   * (batches, devnull only).
   */
  public record Report(Measurement engine, Measurement baseline, double ratio, Measurement loop,
                       double loopRatio, Measurement streamingLoop, double streamingLoopRatio) {
    public double engineRowsPerSecond() {
      return engine.rowsPerSecond();
    }

    public long rowsOut() {
      return engine.rowsOut();
    }

    /** The last line of the report. */
    public String resultLine() {
      return String.format(Locale.ROOT, "RESULT rows_per_s=%.0f out=%d ratio_vs_hashmap=%s "
              + "ratio_vs_loop=%s ratio_vs_streaming_loop=%s", engine.rowsPerSecond(),
          engine.rowsOut(), ratio(ratio), ratio(loopRatio), ratio(streamingLoopRatio));
    }

    private static String ratio(double r) {
      return Double.isNaN(r) ? "n/a" : String.format(Locale.ROOT, "%.2f", r);
    }
  }

  public Report run() {
    header("sabot bench", options);
    try (Workload data = Workload.prepare(options, out)) {
      EngineRun engine = new EngineRun(() -> BenchJobs.wellWritten(data, options),
          options.threads(), true);
      HashMapBaseline baseline = null;
      ColumnarLoopBaseline loop = null;
      try {
        if (options.baseline()) {
          baseline = new HashMapBaseline(data, options);
          loop = new ColumnarLoopBaseline(data, options);
        }
        return measure(engine, baseline, loop);
      } finally {
        if (baseline != null) baseline.close();
        if (loop != null) loop.close();
      }
    }
  }

  private Report measure(EngineRun engine, HashMapBaseline baseline, ColumnarLoopBaseline loop) {
    List<ColumnarLoopBaseline.Shape> shapes = loop == null ? List.of() : loop.shapes();
    for (int i = 1; i <= options.warmups(); i++) {
      out.println(engine.run().format("engine  warm-up " + i));
      if (baseline != null) out.println(baseline.run().format("hashmap warm-up " + i));
      for (ColumnarLoopBaseline.Shape shape : shapes) {
        out.println(loop.run(shape).format(shape.label() + " warm-up " + i));
      }
    }
    List<Measurement> e = new ArrayList<>();
    List<Measurement> b = new ArrayList<>();
    Map<ColumnarLoopBaseline.Shape, List<Measurement>> l = new EnumMap<>(ColumnarLoopBaseline.Shape.class);
    for (ColumnarLoopBaseline.Shape shape : shapes) l.put(shape, new ArrayList<>());
    for (int i = 1; i <= options.runs(); i++) {
      e.add(engine.run());
      out.println(e.get(i - 1).format("engine  run " + i));
      if (baseline != null) {
        b.add(baseline.run());
        out.println(b.get(i - 1).format("hashmap run " + i));
      }
      for (ColumnarLoopBaseline.Shape shape : shapes) {
        Measurement m = loop.run(shape);
        l.get(shape).add(m);
        out.println(m.format(shape.label() + " run " + i));
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
      agree(engineRows, "the HashMap baseline", sameRows("HashMap baseline", b));
      ratio = em.rowsPerSecond() / bm.rowsPerSecond();
      out.printf(Locale.ROOT, "ratio engine / HashMap (median rows/s): %.2f%n", ratio);
    }
    Measurement lm = null;
    double loopRatio = Double.NaN;
    Measurement sm = null;
    double streamingRatio = Double.NaN;
    for (ColumnarLoopBaseline.Shape shape : shapes) {
      Measurement m = Measurement.median(l.get(shape));
      out.println(loop.describe(shape) + ":");
      out.println(m.format("median"));
      agree(engineRows, "the columnar loop (" + shape.description() + ")",
          sameRows("columnar loop " + shape.label(), l.get(shape)));
      double r = em.rowsPerSecond() / m.rowsPerSecond();
      if (shape == ColumnarLoopBaseline.Shape.STREAMING) {
        sm = m;
        streamingRatio = r;
        out.printf(Locale.ROOT, "ratio engine / streaming-shape loop (median rows/s): %.2f%n", r);
      } else {
        lm = m;
        loopRatio = r;
        out.printf(Locale.ROOT, "ratio engine / loop doing the same output work as sink %s "
            + "(median rows/s): %.2f%n", options.sink().text(), r);
      }
    }
    Report report = new Report(em, bm, ratio, lm, loopRatio, sm, streamingRatio);
    out.println(report.resultLine());
    out.flush();
    return report;
  }

  private static void agree(long engineRows, String baseline, long baselineRows) {
    if (baselineRows != engineRows) {
      throw new BenchmarkFailure(String.format("output rows disagree: the engine wrote %,d rows, "
          + "%s %,d; one of them is wrong", engineRows, baseline, baselineRows));
    }
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
