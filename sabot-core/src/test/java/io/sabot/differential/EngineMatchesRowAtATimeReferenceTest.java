package io.sabot.differential;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test: random enrichment jobs ({@link RandomJob}) run on the engine with 1 to 3
 * threads must write exactly, in order, the rows the row-at-a-time evaluator ({@link RowAtATime})
 * computes, and report the same counts. A failure prints its seed and the job file; replay one
 * seed with {@code -Dsabot.differential.seed=N}, or run more with
 * {@code -Dsabot.differential.cases=N -Dsabot.differential.firstSeed=S}.
 */
class EngineMatchesRowAtATimeReferenceTest {
  private static final long FIRST_SEED = Long.getLong("sabot.differential.firstSeed", 1);
  private static final int CASES = Integer.getInteger("sabot.differential.cases", 200);

  @TempDir
  Path dir;

  @TestFactory
  Stream<DynamicTest> shouldWriteWhatTheRowAtATimeEvaluatorComputes() {
    return LongStream.range(FIRST_SEED, FIRST_SEED + CASES).mapToObj(seed ->
        DynamicTest.dynamicTest("seed " + seed, () ->
            DifferentialRun.check(RandomJob.generate(seed), dir.resolve("seed-" + seed))));
  }

  @Test
  void shouldReplayOneSeed() throws Exception {
    Long seed = Long.getLong("sabot.differential.seed");
    assumeTrue(seed != null, "set -Dsabot.differential.seed=N to replay one generated job");
    DifferentialRun.check(RandomJob.generate(seed), dir.resolve("replay"));
  }
}
