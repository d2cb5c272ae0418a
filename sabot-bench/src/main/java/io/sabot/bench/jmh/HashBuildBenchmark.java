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
import org.apache.arrow.vector.VectorSchemaRoot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Building the reference table's index on R int64 keys: {@link ReferenceTable#build} (dense keys
 * 0..R-1, as in docs/workload.md, take the direct index; scattered keys the hash index) against
 * {@code HashMap<Long, Integer>.put}. Score: builds/s (divide R by the time per build for keys/s).
 * The table gets a zero-copy slice of the key column, so no copy is timed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED",
    "-Darrow.enable_unsafe_memory_access=true", "-Darrow.enable_null_check_for_get=false"})
public class HashBuildBenchmark {
  @Param({"10000", "1000000"})
  public int referenceRows;

  /** dense: 0..R-1 (docs/workload.md); scattered: random 62-bit keys (no direct index possible). */
  @Param({"dense", "scattered"})
  public String keys;

  private static final Schema SCHEMA = Schema.of(new Field("ID", ColumnType.INT64));

  private RootAllocator allocator;
  private VectorSchemaRoot ids;
  private long[] keyArray;

  @Setup(Level.Trial)
  public void setUp() {
    allocator = new RootAllocator();
    keyArray = ProbeBenchmark.keys(referenceRows, keys);
    ids = SCHEMA.newBatch(allocator);
    BigIntVector v = (BigIntVector) ids.getVector(0);
    v.allocateNew(referenceRows);
    for (int i = 0; i < referenceRows; i++) v.set(i, keyArray[i]);
    ids.setRowCount(referenceRows);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    ids.close();
    allocator.close();
  }

  @Benchmark
  public int engineReferenceTableBuild() {
    try (ReferenceTable t = ReferenceTable.build("bench", SCHEMA, ids.slice(0, referenceRows),
        new int[] {0}, OnDuplicate.LAST)) {
      return t.keyCount();
    }
  }

  @Benchmark
  public int baselineHashMapPut() {
    HashMap<Long, Integer> map = new HashMap<>();
    for (int i = 0; i < keyArray.length; i++) map.put(keyArray[i], i);
    return map.size();
  }

  static long[] scattered(int n) {
    SplittableRandom r = new SplittableRandom(7);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) out[i] = r.nextLong() >>> 2;
    return out;
  }
}
