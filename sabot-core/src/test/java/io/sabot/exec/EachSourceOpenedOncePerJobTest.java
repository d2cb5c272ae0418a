package io.sabot.exec;

import static io.sabot.testing.CountingConnectorProvider.created;
import static io.sabot.testing.CountingConnectorProvider.opened;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.graph.JobFile;
import io.sabot.graph.JobGraph;
import io.sabot.optimizer.OptimizedJob;
import io.sabot.optimizer.PlanExplainer;
import io.sabot.optimizer.PlanOptimizer;
import org.junit.jupiter.api.Test;

/**
 * Planning a job (schema resolution, every optimizer rule, explain, lowering) creates each source
 * once, so each learns its schema once per job; running reads each partition once; explain reads
 * no data. The sources count both ({@link io.sabot.testing.CountingConnectorProvider}).
 */
class EachSourceOpenedOncePerJobTest {
  /**
   * Filter, join, filter on a reference column, select: every rule has work to do (split, push
   * down, reorder check, projection, fusion), so the optimizer asks for many plans' schemas.
   */
  private static JobGraph job(String tag) {
    return JobFile.parse(String.join("\n",
        "job_name: counted",
        "operators:",
        "  - {name: quotes, type: SOURCE, parameters: {counting: '" + tag + "-quotes:quotes', rows: 500}}",
        "  - {name: securities, type: SOURCE, parameters: {counting: '" + tag + "-securities:securities', rows: 100}}",
        "  - {name: enrich, type: HASH_JOIN, parameters: {left_key: instrumentId, right_key: ID}}",
        "  - {name: keep, type: FILTER, parameters: {all: [{column: price, operator: '>', value: 100},"
            + " {column: SECTOR, operator: '==', value: Energy}]}}",
        "  - {name: pick, type: SELECT, parameters: {columns: [instrumentId, price, NAME]}}",
        "  - {name: out, type: SINK, parameters: {discard: true}}",
        "connect: [[quotes, enrich], [securities, enrich], [enrich, keep], [keep, pick], [pick, out]]",
        ""), "test");
  }

  @Test
  void shouldCreateEachSourceOnceAndReadItsDataOnceWhenAJobIsSubmitted() {
    JobResult result = new JobManager().submitJob(job("run"));
    assertFalse(result.optimization().changes().isEmpty(), "the rules should have had work to do");
    assertEquals(1, created("run-quotes"));
    assertEquals(1, created("run-securities"));
    assertEquals(1, opened("run-quotes"));
    assertEquals(1, opened("run-securities"));
  }

  @Test
  void shouldCreateEachSourceOnceAndReadNoDataWhenAJobIsExplained() {
    OptimizedJob optimized = new PlanOptimizer().optimize(job("explain"));
    String text = PlanExplainer.text(optimized);
    String json = PlanExplainer.json(optimized);
    assertTrue(text.contains("-> [instrumentId, price, NAME]"), text);
    assertTrue(json.contains("\"NAME:string\""), json);
    assertEquals(1, created("explain-quotes"));
    assertEquals(1, created("explain-securities"));
    assertEquals(0, opened("explain-quotes"));
    assertEquals(0, opened("explain-securities"));
  }

  @Test
  void shouldLearnTheSchemasAgainForTheNextJob() {
    new JobManager().submitJob(job("twice"));
    new JobManager().submitJob(job("twice"));
    assertEquals(2, created("twice-quotes"));
    assertEquals(2, created("twice-securities"));
    assertEquals(2, opened("twice-quotes"));
    assertEquals(2, opened("twice-securities"));
  }

  @Test
  void shouldCreateEachSourceOnceWhenAJobRunsAsWritten() {
    new JobManager(ExecutionOptions.defaults(), null).submitJob(job("unoptimized"));
    assertEquals(1, created("unoptimized-quotes"));
    assertEquals(1, opened("unoptimized-quotes"));
  }
}
