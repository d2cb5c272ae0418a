package io.sabot.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One timed run: input rows per second of the join stage (N / its wall time), that time, the
 * reference build time, the whole run's wall time, the output rows, and the peaks of Arrow memory
 * (the job's allocator; 0 for the HashMap baseline) and of the JVM heap, with the heap that was
 * already live when the run started (both systems' input data live in the same heap).
 */
public record Measurement(double rowsPerSecond, long streamNanos, double buildMillis, long wallNanos,
                          long rowsOut, long peakArrowBytes, long peakHeapBytes, long liveHeapBytes) {

  /** One report line, {@code label} first. */
  String format(String label) {
    return String.format("  %-22s %9s rows/s  join stage %7.3f s  build %7.1f ms  wall %7.3f s"
            + "  out %,12d  peak Arrow %10s  peak heap %10s (%s live at start)", label,
        rate(rowsPerSecond), streamNanos / 1e9, buildMillis, wallNanos / 1e9, rowsOut,
        mib(peakArrowBytes), mib(peakHeapBytes), mib(liveHeapBytes));
  }

  /** Each quantity's median over the runs (so the median line may mix runs). */
  static Measurement median(List<Measurement> runs) {
    return new Measurement(median(runs, Measurement::rowsPerSecond),
        (long) median(runs, m -> m.streamNanos), median(runs, Measurement::buildMillis),
        (long) median(runs, m -> m.wallNanos), (long) median(runs, m -> m.rowsOut),
        (long) median(runs, m -> m.peakArrowBytes), (long) median(runs, m -> m.peakHeapBytes),
        (long) median(runs, m -> m.liveHeapBytes));
  }

  private static double median(List<Measurement> runs, ToDoubleFunction<Measurement> f) {
    return median(runs.stream().mapToDouble(f).toArray());
  }

  /** The median of {@code values} (the mean of the middle two when they are even). */
  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  static String rate(double r) {
    if (r >= 1e6) return String.format("%.2f M", r / 1e6);
    if (r >= 1e3) return String.format("%.1f K", r / 1e3);
    return String.format("%.0f", r);
  }

  static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }
}
