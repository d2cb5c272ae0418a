package io.sabot.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.cluster.AgentReport;
import io.sabot.cluster.ClusterJob;
import io.sabot.connect.KeptSnapshot;
import io.sabot.graph.JobFile;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.reference.ReferenceTableStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two "agents" each run the same job on half of the stream (as a consumer group would split it),
 * reading the reference table whole: their summaries merged equal the summary of one run over
 * the whole stream, operator by operator.
 */
class AgentSummariesTest {
  @TempDir Path dir;

  private static final String JOB = String.join("\n",
      "job_name: enrich",
      "operators:",
      "  - {name: quotes, type: SOURCE, parameters: {path: '%s', schema: {id: int64, sid: int64}}}",
      "  - {name: cheap, type: FILTER, parameters: {column: id, operator: '<', value: 90}}",
      "  - {name: securities, type: SOURCE, parameters: {path: s.csv, schema: {ID: int64}}}",
      "  - {name: listed, type: FILTER, parameters: {column: ID, operator: '<', value: 8}}",
      "  - {name: j, type: HASH_JOIN, parameters: {left_key: sid, right_key: ID}}",
      "  - {name: out, type: SINK, parameters: {discard: true}}",
      "connect: [[quotes, cheap], [cheap, j], [securities, listed], [listed, j], [j, out]]");

  private JobSummary run(String quotes) throws Exception {
    Path file = dir.resolve("job-" + quotes.replace('*', 'x') + ".yaml");
    Files.writeString(file, String.format(JOB, quotes));
    JobGraph graph = JobFile.load(file);
    return new JobManager(ExecutionOptions.defaults().withThreads(2)).submitJob(graph).summary();
  }

  private void quotes(String name, int from, int to) throws Exception {
    StringBuilder csv = new StringBuilder("id,sid\n");
    for (int i = from; i < to; i++) csv.append(i).append(',').append(i % 12).append('\n');
    csv.append("x,1\n"); // rejected: each half has one
    Files.writeString(dir.resolve(name), csv);
  }

  @Test
  void shouldMergeAgentsSummariesIntoTheSingleRunSummary() throws Exception {
    StringBuilder s = new StringBuilder("ID,NAME\n");
    for (int i = 0; i < 10; i++) s.append(i).append(",S").append(i).append('\n');
    Files.writeString(dir.resolve("s.csv"), s);
    quotes("q-a.csv", 0, 60);
    quotes("q-b.csv", 60, 100);

    JobSummary whole = run("q-*.csv");
    JobSummary a = run("q-a.csv");
    JobSummary b = run("q-b.csv");
    ClusterJob job = new ClusterJob("enrich-1", "enrich", Instant.now(), "{}", List.of(
        report("a", "finished", a), report("b", "finished", b),
        new AgentReport("c", "failed", 0, 0, "no file", Instant.now())));
    JobSummary merged = AgentSummaries.merge(job).orElseThrow();

    assertEquals(counts(whole), counts(merged));
    assertEquals(2, merged.rejectedRecords());
    assertEquals(100, merged.streamRowsIn());
    assertEquals(whole.rowsOut(), merged.rowsOut());
    assertEquals(4, merged.threads());
    assertFalse(merged.stopped());
    assertTrue(merged.operator("securities").feedsReference());
    assertTrue(merged.operator("listed").feedsReference());
    assertFalse(merged.operator("j").feedsReference());
    assertTrue(merged.format().startsWith("Job enrich finished in "), merged.format());
  }

  @Test
  void shouldBeStoppedWhenOneAgentStoppedAndEmptyWhenNoneFinished() throws Exception {
    Files.writeString(dir.resolve("s.csv"), "ID,NAME\n1,S1\n");
    quotes("q-a.csv", 0, 10);
    JobSummary a = run("q-a.csv");
    ClusterJob stopped = new ClusterJob("e", "enrich", Instant.now(), "{}",
        List.of(report("a", "stopped", a)));
    assertTrue(AgentSummaries.merge(stopped).orElseThrow().stopped());
    ClusterJob failed = new ClusterJob("e", "enrich", Instant.now(), "{}",
        List.of(new AgentReport("c", "failed", 0, 0, "no file", Instant.now())));
    assertEquals(Optional.empty(), AgentSummaries.merge(failed));
  }

  @Test
  void shouldTellEachJoinsTableFromTheSummary() throws Exception {
    StringBuilder s = new StringBuilder("ID,NAME\n");
    for (int i = 0; i < 10; i++) s.append(i).append(",S").append(i).append('\n');
    Files.writeString(dir.resolve("s.csv"), s);
    quotes("q-a.csv", 0, 10);
    JobSummary a = run("q-a.csv");
    List<ReferenceTableStatus> tables = AgentSummaries.references(a);
    assertEquals(1, tables.size());
    assertEquals("j", tables.get(0).join());
    assertEquals(8, tables.get(0).rows(), "the rows the reference filter kept");
    assertEquals(1, tables.get(0).versions(), "a file is read once");
    ReferenceTableStatus.Storage storage = tables.get(0).storage();
    assertEquals("memory", storage.backend());
    assertEquals(10, storage.lookups(), "the 10 quotes the filter kept, each probed once");
    assertTrue(storage.bytesInMemory() >= 8 * 8, "the 8 IDs at least: " + a.format());
    assertEquals(a.operator("j").detail("bytes_in_memory"), storage.bytesInMemory());
    assertEquals(0, storage.bytesOnDisk());
    assertEquals(-1.0, storage.blockCacheHitRate());
    assertNull(tables.get(0).snapshot(), "no state_dir, no snapshot");
  }

  /**
   * A store's join line, as an agent's last report reads it: the backend, its figures, the
   * percentage as a share, and the snapshot restored (or not) with its figures.
   */
  @Test
  void shouldTellAStoredTableAndItsSnapshotFromItsJoinLine() {
    Map<String, Object> stored = new LinkedHashMap<>(Map.of("reference_rows", 30L,
        "state_backend", "rocksdb (auto: 300.2 MiB after 2,359,296 rows > memory_budget 256.0 MiB)",
        "bytes_in_memory", 4_096L, "bytes_on_disk", 65_536L, "lookups", 12L,
        "block_cache_hit_rate", "97.5%"));
    stored.putAll(Map.of("snapshot_age_seconds", 42L, "snapshot_bytes", 2_048L,
        "restored_from_snapshot", true, "restore_millis", 850L));
    Map<String, Object> memory = Map.of("reference_rows", 8L, "bytes_in_memory", 1_024L,
        "state_backend", "memory (auto: 1.0 KiB after 8 rows <= memory_budget 256.0 MiB)",
        "snapshot_age_seconds", 3L, "snapshot_bytes", 512L, "restored_from_snapshot", false,
        "restore_millis", 0L);
    JobSummary s = new JobSummary("j", false, 2, 0, 0, 100, 100, 0, List.of(
        new OperatorSummary("stored", OperatorType.HASH_JOIN, 100, 100, stored),
        new OperatorSummary("kept", OperatorType.HASH_JOIN, 100, 100, memory),
        new OperatorSummary("plain", OperatorType.HASH_JOIN, 100, 60, Map.of("reference_rows", 5L,
            "block_cache_hit_rate", "n/a")),
        // stopped while its table loaded: no table, no choice yet
        new OperatorSummary("loading", OperatorType.HASH_JOIN, 0, 0, Map.of("matched", 0L))),
        List.of(), List.of());
    assertEquals(List.of(
        new ReferenceTableStatus("stored", 30, 1, 0, 0,
            new ReferenceTableStatus.Storage("rocksdb", 4_096, 65_536, 12, 0.975),
            new KeptSnapshot(42, 2_048, 850)),
        new ReferenceTableStatus("kept", 8, 1, 0, 0,
            ReferenceTableStatus.Storage.inMemory(1_024, 100), new KeptSnapshot(3, 512, -1)),
        new ReferenceTableStatus("plain", 5, 1, 0, 0,
            ReferenceTableStatus.Storage.inMemory(0, 100), null),
        new ReferenceTableStatus("loading", 0, 1, 0, 0, null, null)),
        AgentSummaries.references(s));
  }

  @Test
  void shouldReadACacheHitRateInAnyLocalesDigitsAndNeverFailOnOne() {
    assertEquals(0.971, AgentSummaries.hitRate("97.1%"), 1e-9);
    assertEquals(0.971, AgentSummaries.hitRate("97,1%"), 1e-9, "an agent in a German locale");
    assertEquals(-1.0, AgentSummaries.hitRate("n/a"));
    assertEquals(-1.0, AgentSummaries.hitRate(null));
    assertEquals(-1.0, AgentSummaries.hitRate("ninety%"));
  }

  private static AgentReport report(String agent, String state, JobSummary s) {
    return new AgentReport(agent, state, s.streamRowsIn(), s.rowsOut(), "", Instant.now(),
        Map.of(), -1, AgentSummaries.references(s), AgentSummaries.of(s));
  }

  /** Each operator's name, type, rows and counters, without timings. */
  private static List<String> counts(JobSummary s) {
    List<String> out = new ArrayList<>();
    for (OperatorSummary o : s.operators()) {
      Map<String, Object> d = new LinkedHashMap<>(o.details());
      d.remove("build_ms");
      out.add(o.name() + " " + o.type() + " in=" + o.rowsIn() + " out=" + o.rowsOut() + " " + d);
    }
    return out;
  }
}
