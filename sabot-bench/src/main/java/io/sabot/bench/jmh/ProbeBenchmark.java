package io.sabot.bench.jmh;

import io.sabot.graph.OnDuplicate;
import io.sabot.reference.ReferenceTable;
import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.util.HashMap;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
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
 * Probing R int64 keys with {@link KernelData#ROWS} stream keys, about 4.8% of them missing (as in
 * docs/workload.md): {@link ReferenceTable#probe} batch by batch against {@code HashMap<Long,
 * Integer>.get} over a {@code long[]}. Score: probed rows/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED",
    "-Darrow.enable_unsafe_memory_access=true", "-Darrow.enable_null_check_for_get=false"})
public class ProbeBenchmark {
  @Param({"10000", "1000000"})
  public int referenceRows;

  /** dense: 0..R-1 (docs/workload.md, direct index); scattered: random keys (hash index). */
  @Param({"dense", "scattered"})
  public String keys;

  private static final Schema SCHEMA = Schema.of(new Field("ID", ColumnType.INT64));

  private RootAllocator allocator;
  private ReferenceTable table;
  private HashMap<Long, Integer> map;
  private BigIntVector[] probeBatches;
  private long[] probeKeys;
  private int[] identity;
  private int[] match;

  @Setup(Level.Trial)
  public void setUp() {
    allocator = new RootAllocator();
    long[] ref = keys(referenceRows, keys);
    VectorSchemaRoot ids = SCHEMA.newBatch(allocator);
    BigIntVector v = (BigIntVector) ids.getVector(0);
    v.allocateNew(referenceRows);
    map = new HashMap<>();
    for (int i = 0; i < referenceRows; i++) {
      v.set(i, ref[i]);
      map.put(ref[i], i);
    }
    ids.setRowCount(referenceRows);
    table = ReferenceTable.build("bench", SCHEMA, ids, new int[] {0}, OnDuplicate.LAST);
    // Stream keys as docs/workload.md draws them (an index into R + R/20), mapped to the table's keys.
    SplittableRandom r = new SplittableRandom(42);
    probeKeys = new long[KernelData.ROWS];
    for (int i = 0; i < probeKeys.length; i++) {
      int k = (int) r.nextLong(referenceRows + referenceRows / 20);
      probeKeys[i] = k < referenceRows ? ref[k] : -1 - k;
    }
    probeBatches = new BigIntVector[KernelData.ROWS / KernelData.BATCH];
    for (int b = 0; b < probeBatches.length; b++) {
      BigIntVector p = new BigIntVector("instrumentId", allocator);
      p.allocateNew(KernelData.BATCH);
      for (int i = 0; i < KernelData.BATCH; i++) p.set(i, probeKeys[b * KernelData.BATCH + i]);
      p.setValueCount(KernelData.BATCH);
      probeBatches[b] = p;
    }
    identity = new int[KernelData.BATCH];
    for (int i = 0; i < identity.length; i++) identity[i] = i;
    match = new int[KernelData.BATCH];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    for (BigIntVector p : probeBatches) p.close();
    table.close();
    allocator.close();
  }

  @Benchmark
  @OperationsPerInvocation(KernelData.ROWS)
  public long engineProbe() {
    long matched = 0;
    FieldVector[] key = new FieldVector[1];
    for (BigIntVector p : probeBatches) {
      key[0] = p;
      table.probe(key, identity, KernelData.BATCH, match);
      for (int m : match) matched += m >>> 31 ^ 1;
    }
    return matched;
  }

  @Benchmark
  @OperationsPerInvocation(KernelData.ROWS)
  public long baselineHashMapGet() {
    long matched = 0;
    for (long k : probeKeys) {
      Integer row = map.get(k);
      if (row != null) matched++;
    }
    return matched;
  }

  /** R reference keys: 0..R-1, or R scattered 62-bit keys. */
  static long[] keys(int n, String kind) {
    if (kind.equals("scattered")) return HashBuildBenchmark.scattered(n);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) out[i] = i;
    return out;
  }
}
