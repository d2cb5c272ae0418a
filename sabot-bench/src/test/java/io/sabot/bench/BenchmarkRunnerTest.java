package io.sabot.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.connect.memory.MemoryTables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Tiny workloads, one timed run each: the runner's wiring, not its numbers. */
class BenchmarkRunnerTest {
  private static final long N = 6_000;
  private static final long R = 300;

  /** docs/workload.md's recipe, counted independently of the generator and of both systems. */
  private static long expectedRows(long n, long r, boolean left) {
    SplittableRandom random = new SplittableRandom(42);
    long rows = 0;
    for (long i = 0; i < n; i++) {
      long id = random.nextLong(r + r / 20);
      double price = 1.0 + random.nextDouble() * 199.0;
      random.nextLong(10_000);
      if (price > 100 && (left || id < r)) rows++;
    }
    return rows;
  }

  private static BenchOptions tiny(Path dir) {
    return BenchOptions.defaults().withSize(N, R).withRuns(0, 1).withThreads(2)
        .withFormat(BenchOptions.Format.MEMORY, dir);
  }

  private static String run(BenchOptions options, BenchmarkRunner.Report[] report) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      report[0] = new BenchmarkRunner(options, out).run();
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @EnumSource(BenchOptions.Join.class)
  void shouldAgreeWithTheWorkloadRecipeInMemory(BenchOptions.Join join, @TempDir Path dir) {
    BenchmarkRunner.Report[] report = new BenchmarkRunner.Report[1];
    String text = run(tiny(dir).withJoin(join), report);
    long expected = expectedRows(N, R, join == BenchOptions.Join.LEFT);
    assertEquals(expected, report[0].rowsOut());
    assertEquals(expected, report[0].baseline().rowsOut());
    assertEquals(expected, report[0].loop().rowsOut(), "the filter+probe loop");
    assertEquals(null, report[0].streamingLoop(), "sink discard has no streaming-shape loop");
    String last = text.strip().substring(text.strip().lastIndexOf('\n') + 1);
    assertTrue(last.matches("RESULT rows_per_s=\\d+ out=" + expected + " ratio_vs_hashmap=\\d+\\.\\d\\d"
        + " ratio_vs_loop=\\d+\\.\\d\\d ratio_vs_streaming_loop=n/a"), last);
    assertTrue(text.contains("loop probe run 1"), text);
    assertTrue(MemoryTables.names().isEmpty(), "tables unregistered: " + MemoryTables.names());
  }

  @ParameterizedTest
  @EnumSource(value = BenchOptions.Format.class, names = {"CSV", "JSONL", "ARROW"})
  void shouldReadTheWorkloadFromFilesWrittenOnce(BenchOptions.Format format, @TempDir Path dir)
      throws Exception {
    BenchOptions options = tiny(dir).withFormat(format, dir);
    BenchmarkRunner.Report[] report = new BenchmarkRunner.Report[1];
    String first = run(options, report);
    assertEquals(expectedRows(N, R, false), report[0].rowsOut());
    assertTrue(first.contains("data: wrote"), first);
    try (var files = Files.list(dir)) {
      assertEquals(2, files.count(), "quotes and securities");
    }
    String second = run(options.withSink(BenchOptions.Output.DEVNULL), report);
    assertTrue(second.contains("data: reusing"), second);
    assertEquals(expectedRows(N, R, false), report[0].rowsOut());
  }

  @Test
  void shouldCompareTheBadlyWrittenJobWithAndWithoutTheOptimizer(@TempDir Path dir) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OptimizerComparison.Report report;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      report = new OptimizerComparison(tiny(dir), out).run();
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(expectedRows(N, R, false), report.optimized().rowsOut());
    assertEquals(expectedRows(N, R, false), report.asWritten().rowsOut());
    assertTrue(text.contains("PushDownFilter"), text);
    assertTrue(text.strip().endsWith(report.resultLine()), text);
    assertTrue(MemoryTables.names().isEmpty());
  }
}
