package io.sabot.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.exec.ExecutionOptions;
import io.sabot.exec.JobManager;
import io.sabot.exec.JobResult;
import io.sabot.exec.OperatorSummary;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.optimizer.PlanOptimizer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine probing live_securities while it changes: every output row carries the values its
 * key had at some version (CUSIP, NAME and SECTOR of the same version), and the rows are those of
 * the static table (updates change values, never keys).
 */
class LiveUpdatesEndToEndTest {
  private static final long N = 20_000;
  private static final int R = 1000;

  /** docs/workload.md's recipe: the inner join's output rows. */
  private static long expectedRows() {
    SplittableRandom random = new SplittableRandom(42);
    long rows = 0;
    for (long i = 0; i < N; i++) {
      long id = random.nextLong(R + R / 20);
      double price = 1.0 + random.nextDouble() * 199.0;
      random.nextLong(10_000);
      if (price > 100 && id < R) rows++;
    }
    return rows;
  }

  private static JobGraph job(Path out, long rate) {
    Map<String, Object> live = new LinkedHashMap<>();
    live.put("live_securities", R);
    live.put("updates_per_second", rate);
    return BenchJobs.enrichment("live_enrichment",
        Map.of("generator", "quotes", "rows", N, "reference_rows", R, "batch_size", 256), live,
        Map.of("left_key", "instrumentId", "right_key", "ID", "join_type", "inner"),
        Map.of("path", out.toString(), "format", "csv"));
  }

  @Test
  void shouldEnrichEveryRowWithTheValuesOfOneVersionOfItsKey(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out.csv");
    JobResult result = new JobManager(ExecutionOptions.defaults().withThreads(2), new PlanOptimizer())
        .submitJob(job(out, 2_000_000));
    List<String> lines = Files.readAllLines(out);
    assertEquals("instrumentId,price,size,ts,CUSIP,NAME,SECTOR", lines.get(0));
    assertEquals(expectedRows(), lines.size() - 1, "the static table's rows");
    long updated = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      int k = Integer.parseInt(f[0]);
      String name = f[5];
      int s = 0;
      if (!name.equals("SEC" + k)) {
        assertTrue(name.startsWith("SEC" + k + "u"), line);
        s = Integer.parseInt(name.substring(("SEC" + k + "u").length()));
        assertEquals(k, LiveSecuritiesFeed.keyOf(s - 1, R), "update " + (s - 1) + " is not of key " + k);
        updated++;
      }
      assertEquals(LiveSecuritiesFeed.cusipOf(k, s), f[4], line);
      assertEquals(LiveSecuritiesFeed.sectorOf(k, s), f[6], line);
    }
    OperatorSummary join = result.summary().operators().stream()
        .filter(o -> o.type() == OperatorType.HASH_JOIN).findFirst().orElseThrow();
    long applied = join.detail("live_updates_applied");
    assertTrue(applied > 0 && join.detail("reference_versions") > 1, join.details().toString());
    assertTrue(updated > 0, "no output row saw an update; " + join.details());
  }

  @Test
  void shouldReportStaticLiveZeroAndLiveRateWithTheSameRows(@TempDir Path dir) {
    BenchOptions options = BenchOptions.defaults().withSize(N, R).withRuns(0, 1).withThreads(2)
        .withBaseline(false).withFormat(BenchOptions.Format.MEMORY, dir);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Map<String, LiveUpdatesBenchmark.Run> medians;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      medians = new LiveUpdatesBenchmark(options, 100_000, 5, out, false).run();
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(List.of("static", "live 0", "live 100K", "live 100K 5ms"),
        List.copyOf(medians.keySet()), text);
    assertEquals(expectedRows(), medians.get("live 100K").m().rowsOut());
    assertEquals(expectedRows(), medians.get("live 100K 5ms").m().rowsOut());
    assertEquals(1, medians.get("live 0").versions());
    assertEquals(0, medians.get("live 0").updates());
    String last = text.strip().substring(text.strip().lastIndexOf('\n') + 1);
    assertTrue(last.matches("RESULT rows_per_s=\\d+ out=" + expectedRows() + " updates_per_s=100000 "
        + "updates=\\d+ versions=\\d+ live0_rows_per_s=\\d+ static_rows_per_s=\\d+ "
        + "ratio_vs_live0=\\d+\\.\\d\\d ratio_vs_static=\\d+\\.\\d\\d refresh_ms=5"), last);
  }
}
