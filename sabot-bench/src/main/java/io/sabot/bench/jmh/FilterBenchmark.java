package io.sabot.bench.jmh;

import io.sabot.physical.FusedPipeline;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code price > 100} over the quotes: the engine's fused pipeline with just the filter (frame
 * reset, compare, selection vector), against a loop over a {@code double[]} that writes the same
 * selection vector. Score: input rows/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED",
    "-Darrow.enable_unsafe_memory_access=true", "-Darrow.enable_null_check_for_get=false"})
public class FilterBenchmark {
  private RootAllocator allocator;
  private KernelData.Planned planned;
  private FusedPipeline.Worker worker;
  private double[] prices;
  private int[] selection;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    allocator = new RootAllocator();
    planned = KernelData.plan(10_000, false, allocator);
    worker = planned.pipeline().newWorker();
    prices = KernelData.doubles(planned.batches(), "price");
    selection = new int[KernelData.BATCH];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    planned.close();
    allocator.close();
  }

  @Benchmark
  @OperationsPerInvocation(KernelData.ROWS)
  public long engineFilter() {
    long kept = 0;
    for (VectorSchemaRoot b : planned.batches()) {
      worker.process(b, allocator, false);
      kept += worker.lastRowCount();
    }
    return kept;
  }

  /** The same selection vectors from a plain array: what a hand-written loop costs. */
  @Benchmark
  @OperationsPerInvocation(KernelData.ROWS)
  public long baselineArrayLoop() {
    long kept = 0;
    for (int start = 0; start < prices.length; start += KernelData.BATCH) {
      int end = Math.min(prices.length, start + KernelData.BATCH);
      int k = 0;
      for (int i = start; i < end; i++) {
        selection[k] = i - start;
        k += prices[i] > 100 ? 1 : 0;
      }
      kept += k;
    }
    return kept;
  }
}
