package io.sabot.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.graph.JobFile;
import io.sabot.plan.JobPlanner;
import io.sabot.plan.PhysicalPlan;
import io.sabot.plan.PipelinePlan;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which reference inputs a live table takes as they come (no pipeline run, no copy): a source
 * alone, or with a SELECT that keeps its columns in order; not one that reorders or renames
 * them, nor one with a FILTER.
 */
class ReferencePassThroughTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "|true",
      "{name: pick, type: SELECT, parameters: {columns: [ID, NAME]}}|true",
      "{name: pick, type: SELECT, parameters: {columns: [ID, NAME, TIER]}}|true",
      "{name: pick, type: SELECT, parameters: {columns: [NAME, ID]}}|false",
      "{name: pick, type: SELECT, parameters: {columns: [ID, {NAME: N}]}}|false",
      "{name: pick, type: FILTER, parameters: {column: TIER, operator: '>=', value: 1}}|false"})
  void shouldPassTheReferenceRowsThroughOnlyWhenThePipelineLeavesThemAsTheyAre(String pick,
      boolean passes) throws Exception {
    Path securities = dir.resolve("securities.jsonl");
    Files.writeString(securities, "{\"ID\": 0, \"NAME\": \"a\", \"TIER\": 0}\n");
    Path job = dir.resolve("job.yaml");
    boolean picked = pick != null && !pick.isBlank();
    Files.writeString(job, String.join("\n",
        "job_name: pass_through",
        "operators:",
        "  - {name: quotes, type: SOURCE, parameters: {generator: quotes, rows: 10, reference_rows: 1}}",
        "  - {name: securities, type: SOURCE, parameters: {path: " + securities
            + ", format: jsonl, schema: {ID: int64, NAME: string, TIER: int64}}}",
        picked ? "  - " + pick : "",
        "  - {name: enrich, type: HASH_JOIN, parameters: {left_key: instrumentId, right_key: ID}}",
        "  - {name: out, type: SINK, parameters: {discard: true}}",
        picked ? "connect: [[quotes, enrich], [securities, pick], [pick, enrich], [enrich, out]]"
            : "connect: [[quotes, enrich], [securities, enrich], [enrich, out]]"));
    PhysicalPlan plan = JobPlanner.plan(JobFile.load(job));
    PipelinePlan reference = plan.sinks().get(0).stream().builds().get(0).input();
    assertEquals(passes, reference.pipeline().passesThrough(reference.readColumns()),
        reference.readColumns() + " -> " + reference.pipeline().outputSchema());
  }
}
