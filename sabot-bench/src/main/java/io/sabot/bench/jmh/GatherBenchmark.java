package io.sabot.bench.jmh;

import io.sabot.physical.FusedPipeline;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole per-batch pipeline of docs/workload.md's query (filter, probe, gather of the 7 output
 * columns) on one thread: the engine's fused pipeline building its output batches, the same
 * without output (count only: the difference is the gather), and the HashMap way (objects,
 * {@code get}, a new enriched object per output row). Score: input rows/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED",
    "-Darrow.enable_unsafe_memory_access=true", "-Darrow.enable_null_check_for_get=false"})
public class GatherBenchmark {
  @Param({"10000", "1000000"})
  public int referenceRows;

  record Quote(long instrumentId, double price, long size, long ts) {}

  record Security(long id, String cusip, String name, String sector) {}

  record Enriched(long instrumentId, double price, long size, long ts, String cusip, String name,
                  String sector) {}

  private RootAllocator allocator;
  private KernelData.Planned planned;
  private FusedPipeline.Worker worker;
  private Quote[] quotes;
  private HashMap<Long, Security> securities;
  private final List<Enriched> out = new ArrayList<>(KernelData.BATCH);

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    allocator = new RootAllocator();
    planned = KernelData.plan(referenceRows, true, allocator);
    worker = planned.pipeline().newWorker();
    long[] id = KernelData.longs(planned.batches(), "instrumentId");
    double[] price = KernelData.doubles(planned.batches(), "price");
    long[] size = KernelData.longs(planned.batches(), "size");
    long[] ts = KernelData.longs(planned.batches(), "ts");
    quotes = new Quote[id.length];
    for (int i = 0; i < id.length; i++) quotes[i] = new Quote(id[i], price[i], size[i], ts[i]);
    securities = new HashMap<>();
    try (VectorSchemaRoot s = KernelData.securities(referenceRows, allocator)) {
      for (int r = 0; r < s.getRowCount(); r++) {
        securities.put((long) r, new Security(r, text(s, "CUSIP", r), text(s, "NAME", r),
            text(s, "SECTOR", r)));
      }
    }
  }

  private static String text(VectorSchemaRoot s, String column, int r) {
    return new String(((VarCharVector) s.getVector(column)).get(r), StandardCharsets.UTF_8);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    planned.close();
    allocator.close();
  }

  @Benchmark
  @OperationsPerInvocation(KernelData.ROWS)
  public long engineFilterProbeGather() {
    long rows = 0;
    for (VectorSchemaRoot b : planned.batches()) {
      try (VectorSchemaRoot result = worker.process(b, allocator, true)) {
        rows += result.getRowCount();
      }
    }
    return rows;
  }

  @Benchmark
  @OperationsPerInvocation(KernelData.ROWS)
  public long engineFilterProbeCountOnly() {
    long rows = 0;
    for (VectorSchemaRoot b : planned.batches()) {
      worker.process(b, allocator, false);
      rows += worker.lastRowCount();
    }
    return rows;
  }

  @Benchmark
  @OperationsPerInvocation(KernelData.ROWS)
  public long baselineHashMapObjects() {
    long rows = 0;
    for (int start = 0; start < quotes.length; start += KernelData.BATCH) {
      out.clear();
      int end = Math.min(quotes.length, start + KernelData.BATCH);
      for (int i = start; i < end; i++) {
        Quote q = quotes[i];
        if (q.price() > 100) {
          Security s = securities.get(q.instrumentId());
          if (s != null) {
            out.add(new Enriched(q.instrumentId(), q.price(), q.size(), q.ts(), s.cusip(), s.name(),
                s.sector()));
          }
        }
      }
      rows += out.size();
    }
    return rows;
  }
}
