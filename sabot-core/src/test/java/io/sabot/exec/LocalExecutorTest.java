package io.sabot.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.error.JobExecutionException;
import io.sabot.graph.JobFile;
import io.sabot.graph.JobGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor end to end on small files: order, counts, warnings, failures. */
class LocalExecutorTest {
  @TempDir
  Path dir;

  private JobGraph job(String text) throws Exception {
    Path file = dir.resolve("job.yaml");
    Files.writeString(file, text);
    return JobFile.load(file);
  }

  /** in.csv (columns id, v) in batches of {@code batchSize} rows, v >= 3 kept, into {@code sink}. */
  private JobGraph filterJob(String name, int batchSize, String sink) throws Exception {
    return job(String.join("\n",
        "job_name: " + name,
        "operators:",
        "  - {name: src, type: SOURCE, parameters: {path: in.csv, batch_size: " + batchSize + "}}",
        "  - {name: f, type: FILTER, parameters: {column: v, operator: '>=', value: 3}}",
        "  - {name: out, type: SINK, parameters: {" + sink + "}}",
        "connect: [[src, f], [f, out]]"));
  }

  private static JobManager threads(int n) {
    return new JobManager(ExecutionOptions.defaults().withThreads(n));
  }

  @Test
  void shouldKeepInputOrderAcrossManySmallBatchesAndThreads() throws Exception {
    StringBuilder csv = new StringBuilder("id,v\n");
    List<String> expected = new ArrayList<>(List.of("id,v"));
    for (int i = 0; i < 5000; i++) {
      csv.append(i).append(',').append(i % 10).append('\n');
      if (i % 10 >= 3) expected.add(i + "," + i % 10);
    }
    Files.writeString(dir.resolve("in.csv"), csv);
    JobGraph g = filterJob("order", 7, "path: out.csv");
    JobSummary s = threads(3).submitJob(g).summary();
    assertEquals(expected, Files.readAllLines(dir.resolve("out.csv")));
    assertEquals(3500, s.rowsOut());
    assertEquals(5000, s.operator("f").rowsIn());
  }

  @Test
  void shouldTakeMostOfAJobsArrowBuffersFromTheSharedRecycledMemory() throws Exception {
    StringBuilder csv = new StringBuilder("id,v\n");
    for (int i = 0; i < 20_000; i++) csv.append(i).append(',').append(i % 10).append('\n');
    Files.writeString(dir.resolve("in.csv"), csv);
    JobGraph g = filterJob("recycled", 1000, "discard: true");
    RecycledMemory memory = RecycledMemory.shared();
    long reusedBefore = memory.reusedBlocks();
    long allocatedBefore = memory.allocatedBlocks();
    assertEquals(14_000, threads(2).submitJob(g).summary().rowsOut());
    // twenty batches of the same sizes: all but the first few are built on blocks freed before
    assertTrue(memory.reusedBlocks() - reusedBefore > memory.allocatedBlocks() - allocatedBefore,
        "reused " + (memory.reusedBlocks() - reusedBefore) + ", allocated "
            + (memory.allocatedBlocks() - allocatedBefore));
  }

  @Test
  void shouldWarnWithSampleKeysWhenAJoinMatchesAlmostNothing() throws Exception {
    Files.writeString(dir.resolve("q.csv"), "id,price\n000001,1.5\n000002,2.5\n");
    Files.writeString(dir.resolve("s.csv"), "ID,NAME\n1,one\n2,two\n");
    JobGraph g = job(String.join("\n",
        "job_name: zeros",
        "operators:",
        "  - {name: q, type: SOURCE, parameters: {path: q.csv}}",
        "  - {name: s, type: SOURCE, parameters: {path: s.csv, schema: {ID: string}}}",
        "  - {name: j, type: HASH_JOIN, parameters: {left_key: id, right_key: ID}}",
        "  - {name: out, type: SINK, parameters: {discard: true}}",
        "connect: [[q, j], [s, j], [j, out]]"));
    JobSummary s = threads(1).submitJob(g).summary();
    assertEquals(List.of("join j matched 0 of 2 stream rows (0.00%). Sample stream keys id "
        + "(string): ['000001', '000002']; sample reference keys ID (string): ['1', '2']. Check "
        + "that both key columns hold the same values in the same form (leading zeros, case, "
        + "spaces, int vs string)."), s.warnings());
  }

  @Test
  void shouldStopOnADuplicateKeyWhenAskedTo() throws Exception {
    Files.writeString(dir.resolve("q.csv"), "id\n1\n");
    Files.writeString(dir.resolve("s.csv"), "ID,NAME\n1,one\n2,two\n1,uno\n");
    JobGraph g = job(String.join("\n",
        "job_name: dup",
        "operators:",
        "  - {name: q, type: SOURCE, parameters: {path: q.csv}}",
        "  - {name: s, type: SOURCE, parameters: {path: s.csv}}",
        "  - {name: j, type: HASH_JOIN, parameters: {left_key: id, right_key: ID, on_duplicate: error}}",
        "  - {name: out, type: SINK, parameters: {discard: true}}",
        "connect: [[q, j], [s, j], [j, out]]"));
    JobExecutionException e = assertThrows(JobExecutionException.class, () -> threads(2).submitJob(g));
    assertTrue(e.getMessage().startsWith("Execution failed in operator j: duplicate key ID=1"),
        e.getMessage());
  }

  @Test
  void shouldCountAndKeepEveryRejectedRecord() throws Exception {
    Files.writeString(dir.resolve("q.jsonl"), "{\"id\": 1, \"p\": 2.5}\n{\"id\": \"x\", \"p\": 1}\n"
        + "not json\n{\"id\": 3}\n");
    JobGraph g = job(String.join("\n",
        "job_name: rejects",
        "operators:",
        "  - {name: q, type: SOURCE, parameters: {path: q.jsonl, schema: {id: int64, p: float64}}}",
        "  - {name: out, type: SINK, parameters: {path: out.csv}}",
        "connect: [[q, out]]"));
    JobSummary s = threads(2).submitJob(g).summary();
    assertEquals(List.of("id,p", "1,2.5", "3,"), Files.readAllLines(dir.resolve("out.csv")));
    assertEquals(2, s.rejectedRecords());
    assertEquals(4, s.operator("q").rowsIn());
    List<String> rejects = Files.readAllLines(dir.resolve("out.csv.rejects.jsonl"));
    assertEquals(2, rejects.size());
    assertTrue(rejects.get(0).startsWith("{\"source\":\"q\",\"partition\":\"q.jsonl\",\"line\":2,"
        + "\"reason\":\"column=id value='x' is not an int64\""), rejects.get(0));
    assertTrue(rejects.get(1).contains("\"line\":3,"), rejects.get(1));
    assertTrue(rejects.get(1).endsWith(",\"record\":\"not json\"}"), rejects.get(1));
  }

  @Test
  void shouldFailClearlyWhenTheMemoryLimitIsTooSmall() throws Exception {
    JobGraph g = job(String.join("\n",
        "job_name: tiny",
        "operators:",
        "  - {name: q, type: SOURCE, parameters: {generator: quotes, rows: 100000}}",
        "  - {name: out, type: SINK, parameters: {discard: true}}",
        "connect: [[q, out]]"));
    JobManager manager = new JobManager(ExecutionOptions.defaults().withThreads(2).withMemoryLimit(64 * 1024));
    JobExecutionException e = assertThrows(JobExecutionException.class, () -> manager.submitJob(g));
    assertTrue(e.getMessage().startsWith("Execution failed in operator q, partition generator: out "
        + "of Arrow memory ("), e.getMessage());
    assertTrue(e.getMessage().endsWith("the job's memory limit is 65536 bytes: raise it (sabot run "
        + "--memory) or lower batch_size"), e.getMessage());
  }
}
