package io.sabot.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code sabot bench --compare-optimizer}: the query written badly (join first, the
 * filter after it, all 15 securities columns, a final SELECT of the 7 output columns; see
 * {@link BenchJobs#badlyWritten}) run with the optimizer and exactly as written, in this process,
 * on the same data, runs interleaved. Reports each side's rate, Arrow peak and heap peak, and the
 * speed-up; both must write the same rows.
 *
 * <pre>
 *   RESULT optimizer_speedup=<join stage, optimized / as written> wall_speedup=<whole job> ...
 * </pre>
 */
public final class OptimizerComparison {
  private final BenchOptions options;
  private final PrintStream out;

  public OptimizerComparison(BenchOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Medians with and without the optimizer, and optimized rate / as-written rate. */
  public record Report(Measurement optimized, Measurement asWritten, double speedup,
                       double wallSpeedup) {
    public String resultLine() {
      return String.format(Locale.ROOT, "RESULT optimizer_speedup=%.2f wall_speedup=%.2f "
              + "optimized_rows_per_s=%.0f "
              + "as_written_rows_per_s=%.0f out=%d optimized_peak_arrow_bytes=%d "
              + "as_written_peak_arrow_bytes=%d optimized_peak_heap_bytes=%d "
              + "as_written_peak_heap_bytes=%d", speedup, wallSpeedup, optimized.rowsPerSecond(),
          asWritten.rowsPerSecond(), optimized.rowsOut(), optimized.peakArrowBytes(),
          asWritten.peakArrowBytes(), optimized.peakHeapBytes(), asWritten.peakHeapBytes());
    }
  }

  public Report run() {
    new BenchmarkRunner(options, out).header("sabot bench --compare-optimizer", options);
    try (Workload data = Workload.prepare(options, out)) {
      EngineRun optimized = new EngineRun(() -> BenchJobs.badlyWritten(data, options),
          options.threads(), true);
      EngineRun asWritten = new EngineRun(() -> BenchJobs.badlyWritten(data, options),
          options.threads(), false);
      for (int i = 1; i <= options.warmups(); i++) {
        out.println(optimized.run().format("optimized  warm-up " + i));
        out.println(asWritten.run().format("as written warm-up " + i));
      }
      List<Measurement> o = new ArrayList<>();
      List<Measurement> w = new ArrayList<>();
      for (int i = 1; i <= options.runs(); i++) {
        o.add(optimized.run());
        out.println(o.get(i - 1).format("optimized  run " + i));
        w.add(asWritten.run());
        out.println(w.get(i - 1).format("as written run " + i));
      }
      out.print("what the optimizer did:\n");
      optimized.last().optimization().changes().forEach((rule, lines) -> {
        for (String line : lines) out.println("    " + rule + ": " + line);
      });
      out.print("optimized plan:\n" + BenchmarkRunner.indent(
          BenchmarkRunner.planAsRun(optimized.last())));
      Measurement om = Measurement.median(o);
      Measurement wm = Measurement.median(w);
      long optimizedRows = BenchmarkRunner.sameRows("the optimized job", o);
      long asWrittenRows = BenchmarkRunner.sameRows("the job as written", w);
      if (optimizedRows != asWrittenRows) {
        throw new BenchmarkFailure(String.format("output rows disagree: optimized %,d, as written "
            + "%,d; the optimizer changed the result", optimizedRows, asWrittenRows));
      }
      out.println("with the optimizer:");
      out.println(om.format("median"));
      out.println("as written (new JobManager(options, null)):");
      out.println(wm.format("median"));
      double speedup = om.rowsPerSecond() / wm.rowsPerSecond();
      double wallSpeedup = (double) wm.wallNanos() / om.wallNanos();
      out.printf(Locale.ROOT, "speed-up with the optimizer (medians): join stage %.2f, whole job "
              + "(build included) %.2f; peak Arrow %s vs %s as written; peak heap %s vs %s%n",
          speedup, wallSpeedup, Measurement.mib(om.peakArrowBytes()),
          Measurement.mib(wm.peakArrowBytes()), Measurement.mib(om.peakHeapBytes()),
          Measurement.mib(wm.peakHeapBytes()));
      Report report = new Report(om, wm, speedup, wallSpeedup);
      out.println(report.resultLine());
      out.flush();
      return report;
    }
  }
}
