package io.sabot.optimizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.graph.JobFile;
import io.sabot.graph.JobGraph;
import org.junit.jupiter.api.Test;

/** What explain says of a HASH_JOIN's parameters beyond its keys and type. */
class PlanExplainerJoinTest {
  private static String joinLine(String parameters) {
    JobGraph g = JobFile.parse(String.join("\n",
        "job_name: j",
        "operators:",
        "  - {name: quotes, type: SOURCE, parameters: {generator: quotes, rows: 10, reference_rows: 10}}",
        "  - {name: securities, type: SOURCE, parameters: {generator: securities, rows: 10}}",
        "  - {name: enrich, type: HASH_JOIN, parameters: {left_key: instrumentId, right_key: ID"
            + parameters + "}}",
        "  - {name: out, type: SINK, parameters: {discard: true}}",
        "connect: [[quotes, enrich], [securities, enrich], [enrich, out]]"), "test");
    return PlanExplainer.tree(g).lines().filter(l -> l.contains("HASH_JOIN")).findFirst()
        .orElseThrow().trim().replaceAll("  -> .*", "");
  }

  @Test
  void shouldShowWhereTheTableLivesWhenNotInMemory() {
    assertEquals("enrich HASH_JOIN instrumentId = ID, inner", joinLine(""));
    assertEquals("enrich HASH_JOIN instrumentId = ID, inner, state_backend=rocksdb",
        joinLine(", state_backend: rocksdb"));
    assertEquals("enrich HASH_JOIN instrumentId = ID, inner, state_backend=auto "
        + "memory_budget=536870912", joinLine(", state_backend: auto, memory_budget: 512m"));
    assertEquals("enrich HASH_JOIN instrumentId = ID, inner, reference_refresh_ms=5",
        joinLine(", reference_refresh_ms: 5"));
  }
}
