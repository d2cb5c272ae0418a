package io.sabot.bench;

import io.sabot.exec.OperatorSummary;
import io.sabot.graph.OperatorType;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code sabot bench --live-updates RATE}: the well-written job while the securities change, against
 * the same job with a static table (issue 12, "Measure: live updates").
 *
 * <pre>
 *   static     securities from the workload's memory table (or file): read once, one table
 *   live 0     securities from live_securities (LiveSecuritiesFeed), no updates: one version
 *   live RATE  the same feed applying RATE updates/s of wall-clock time; the engine polls it
 *              before each stream batch and builds a new table version when it changed
 *   prepare, then each system's warm-ups, then timed runs interleaved (static, live 0, live RATE)
 *   RESULT rows_per_s=<live RATE median> ... ratio_vs_live0=<live RATE / live 0> ...
 * </pre>
 *
 * With RATE 0 only the first two run. The rate is N over the stream stage's wall time (which
 * includes the table versions built while it runs); the report adds each live run's updates
 * applied, versions built, and the feed's own time (poll, snapshot) from the join's summary, and,
 * first, the feed alone ({@link LiveFeedCost}). Every system must write the same rows: the
 * updates change values, never keys.
 */
final class LiveUpdatesBenchmark {
  /** One run of one system: the measurement and the live table's counters (0 for static). */
  record Run(Measurement m, long updates, long versions, long pollMs, long snapshotMs) {
    String format(String label) {
      return m.format(label) + (versions == 0 ? "" : String.format("  updates %,d  versions %,d"
          + "  feed poll %d ms, snapshots %d ms", updates, versions, pollMs, snapshotMs));
    }
  }

  private final BenchOptions options;
  private final long rate;
  private final long refreshMs;
  private final PrintStream out;
  private final boolean feedAlone;

  LiveUpdatesBenchmark(BenchOptions options, long rate, long refreshMs, PrintStream out) {
    this(options, rate, refreshMs, out, true);
  }

  /**
   * {@code refreshMs} > 0: a fourth job, the live RATE one with {@code reference_refresh_ms} so
   * set; {@code feedAlone}: first time the feed alone ({@link LiveFeedCost}, about 3 s).
   */
  LiveUpdatesBenchmark(BenchOptions options, long rate, long refreshMs, PrintStream out,
                       boolean feedAlone) {
    this.options = options;
    this.rate = rate;
    this.refreshMs = refreshMs;
    this.out = out;
    this.feedAlone = feedAlone;
  }

  /** The RESULT line's figures: medians per system, in the order run. */
  Map<String, Run> run() {
    out.printf("sabot bench --live-updates %s (updates/s): %s (baselines not run)%n", label(rate), options.describe());
    out.printf("jvm: %s %s, %d cores, max heap %s%n", System.getProperty("java.vm.name"),
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
        Measurement.mib(Runtime.getRuntime().maxMemory()));
    if (rate > 0 && feedAlone) LiveFeedCost.measure(options, rate, out);
    try (Workload data = Workload.prepare(options, out)) {
      Map<String, EngineRun> systems = new LinkedHashMap<>();
      systems.put("static", engine(() -> BenchJobs.wellWritten(data, options)));
      systems.put("live 0", engine(() -> BenchJobs.wellWritten(data, options, live(0))));
      if (rate > 0) {
        systems.put("live " + label(rate),
            engine(() -> BenchJobs.wellWritten(data, options, live(rate))));
        if (refreshMs > 0) {
          systems.put("live " + label(rate) + " " + refreshMs + "ms", engine(() ->
              BenchJobs.wellWritten(data, options, live(rate),
                  Map.of("reference_refresh_ms", refreshMs))));
        }
      }
      for (int i = 1; i <= options.warmups(); i++) {
        for (Map.Entry<String, EngineRun> s : systems.entrySet()) {
          out.println(once(s.getValue()).format(pad(s.getKey()) + " warm-up " + i));
        }
      }
      Map<String, List<Run>> runs = new LinkedHashMap<>();
      for (String s : systems.keySet()) runs.put(s, new ArrayList<>());
      for (int i = 1; i <= options.runs(); i++) {
        for (Map.Entry<String, EngineRun> s : systems.entrySet()) {
          Run r = once(s.getValue());
          runs.get(s.getKey()).add(r);
          out.println(r.format(pad(s.getKey()) + " run " + i));
        }
      }
      EngineRun last = systems.get(systems.keySet().stream().reduce((a, b) -> b).orElseThrow());
      out.print("engine summary of the last run of " + (rate > 0 ? "live " + label(rate) : "live 0")
          + ":\n" + BenchmarkRunner.indent(last.last().summary().format()));
      return report(runs);
    }
  }

  private Map<String, Run> report(Map<String, List<Run>> runs) {
    Map<String, Run> medians = new LinkedHashMap<>();
    long rows = -1;
    for (Map.Entry<String, List<Run>> e : runs.entrySet()) {
      List<Run> rs = e.getValue();
      List<Measurement> ms = new ArrayList<>();
      rs.forEach(r -> ms.add(r.m()));
      long n = BenchmarkRunner.sameRows(e.getKey(), ms);
      if (rows >= 0 && n != rows) {
        throw new BenchmarkFailure(String.format("output rows disagree: static wrote %,d rows, %s "
            + "%,d; updates change values, not keys, so one of them is wrong", rows, e.getKey(), n));
      }
      rows = n;
      Run m = new Run(Measurement.median(ms), median(rs, Run::updates), median(rs, Run::versions),
          median(rs, Run::pollMs), median(rs, Run::snapshotMs));
      medians.put(e.getKey(), m);
      out.println(m.format(pad(e.getKey()) + " median"));
    }
    double statik = medians.get("static").m().rowsPerSecond();
    double live0 = medians.get("live 0").m().rowsPerSecond();
    Run top = medians.values().stream().reduce((a, b) -> b).orElseThrow();
    double liveRate = top.m().rowsPerSecond();
    out.printf(Locale.ROOT, "ratio live 0 / static: %.2f%n", live0 / statik);
    if (rate > 0) {
      for (Map.Entry<String, Run> e : medians.entrySet()) {
        if (!e.getKey().startsWith("live " + label(rate))) continue;
        double r = e.getValue().m().rowsPerSecond();
        out.printf(Locale.ROOT, "ratio %s / live 0: %.2f; / static: %.2f (goal at 100K/s: "
            + ">= 0.80)%n", e.getKey(), r / live0, r / statik);
      }
    }
    // with --reference-refresh-ms, the figures of the last job (the one with that refresh)
    out.printf(Locale.ROOT, "RESULT rows_per_s=%.0f out=%d updates_per_s=%d updates=%d versions=%d "
            + "live0_rows_per_s=%.0f static_rows_per_s=%.0f ratio_vs_live0=%.2f ratio_vs_static=%.2f"
            + " refresh_ms=%d%n",
        liveRate, rows, rate, top.updates(), top.versions(), live0, statik, liveRate / live0,
        liveRate / statik, rate > 0 ? refreshMs : 0);
    out.flush();
    return medians;
  }

  private static long median(List<Run> runs, java.util.function.ToLongFunction<Run> f) {
    long[] v = runs.stream().mapToLong(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** 10000 as 10K, 1500 as 1500. */
  static String label(long rate) {
    if (rate >= 1_000_000 && rate % 1_000_000 == 0) return rate / 1_000_000 + "M";
    if (rate >= 1_000 && rate % 1_000 == 0) return rate / 1_000 + "K";
    return Long.toString(rate);
  }

  private static String pad(String system) {
    return String.format("%-15s", system);
  }

  private EngineRun engine(java.util.function.Supplier<io.sabot.graph.JobGraph> job) {
    return new EngineRun(job, options.threads(), true);
  }

  private Map<String, Object> live(long updatesPerSecond) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("live_securities", options.referenceRows());
    p.put("updates_per_second", updatesPerSecond);
    p.put("batch_size", options.batchSize());
    return p;
  }

  /** One run and the live join's counters. */
  private static Run once(EngineRun engine) {
    Measurement m = engine.run();
    long updates = 0;
    long versions = 0;
    long poll = 0;
    long snapshot = 0;
    for (OperatorSummary o : engine.last().summary().operators()) {
      if (o.type() != OperatorType.HASH_JOIN) continue;
      updates += o.detail("live_updates_applied");
      versions += o.detail("reference_versions");
      poll += o.detail("feed_poll_ms");
      snapshot += o.detail("feed_snapshot_ms");
    }
    return new Run(m, updates, versions, poll, snapshot);
  }
}
