package io.sabot.differential;

import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential test of sabot-core ({@link EngineMatchesRowAtATimeReferenceTest}) with every
 * HASH_JOIN's table in RocksDB: the same random jobs (single and composite keys, inner and left
 * outer, every on_duplicate, null keys, reference filters from the optimizer) must write exactly
 * the rows, and report exactly the join counters, that the row-at-a-time evaluator computes, as
 * the memory tables do. Even seeds use {@code state_backend: rocksdb}; odd seeds
 * {@code auto} with a budget of 1 byte, so the load starts in memory and moves to RocksDB at its
 * first batch (the switch path). Replay with {@code -Dsabot.differential.seed=N}.
 */
class RocksDbMatchesMemoryTest {
  private static final long FIRST_SEED = Long.getLong("sabot.differential.firstSeed", 1);
  private static final int CASES = Integer.getInteger("sabot.differential.cases", 200);

  @TempDir
  Path dir;

  @TestFactory
  Stream<DynamicTest> shouldWriteWhatTheRowAtATimeEvaluatorComputesWithTablesInRocksDb() {
    return LongStream.range(FIRST_SEED, FIRST_SEED + CASES).mapToObj(seed ->
        DynamicTest.dynamicTest("seed " + seed, () ->
            DifferentialRun.check(inRocksDb(RandomJob.generate(seed)), dir.resolve("seed-" + seed))));
  }

  private JobCase inRocksDb(JobCase c) {
    JobGraph g = c.graph();
    for (StreamOperatorNode join : g.operatorsOfType(OperatorType.HASH_JOIN)) {
      Map<String, Object> p = new LinkedHashMap<>(join.parameters());
      if (c.seed() % 2 == 0) {
        p.put("state_backend", "rocksdb");
      } else {
        p.put("state_backend", "auto");
        p.put("memory_budget", 1);
      }
      p.put("state_dir", dir.resolve("state").toString());
      g.replaceOperator(new StreamOperatorNode(OperatorType.HASH_JOIN, join.name(), p));
    }
    return c;
  }
}
