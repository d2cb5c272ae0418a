package io.sabot.optimizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.exec.ExecutionOptions;
import io.sabot.exec.JobManager;
import io.sabot.exec.JobResult;
import io.sabot.graph.JobFile;
import io.sabot.graph.JobGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A filter on reference columns above a join whose table keeps one row per key: the optimizer
 * must keep the answer of the plan as written, where the filter judges the row that won.
 */
class ReferenceFilterEndToEndTest {
  @Test
  void shouldJudgeTheRowThatWonNotAnEarlierDuplicate(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("q.csv"), "id,qty\n1,10\n2,20\n3,30\n");
    // key 1: the later row (INACTIVE) wins; key 2: the only row is ACTIVE
    Files.writeString(dir.resolve("s.csv"), "ID,NAME,STATUS\n1,old,ACTIVE\n1,new,INACTIVE\n2,two,ACTIVE\n");
    Files.writeString(dir.resolve("job.yaml"), String.join("\n",
        "job_name: dup_filter",
        "operators:",
        "  - {name: q, type: SOURCE, parameters: {path: q.csv}}",
        "  - {name: s, type: SOURCE, parameters: {path: s.csv}}",
        "  - {name: j, type: HASH_JOIN, parameters: {left_key: id, right_key: ID, join_type: left}}",
        "  - {name: f, type: FILTER, parameters: {column: STATUS, operator: '==', value: ACTIVE}}",
        "  - {name: out, type: SINK, parameters: {path: out.csv}}",
        "connect: [[q, j], [s, j], [j, f], [f, out]]"));
    JobGraph g = JobFile.load(dir.resolve("job.yaml"));
    ExecutionOptions options = ExecutionOptions.defaults().withThreads(2);

    new JobManager(options, null).submitJob(g);
    List<String> asWritten = Files.readAllLines(dir.resolve("out.csv"));
    JobResult optimized = new JobManager(options).submitJob(g);
    List<String> rows = Files.readAllLines(dir.resolve("out.csv"));

    assertEquals(List.of("id,qty,NAME,STATUS", "2,20,two,ACTIVE"), asWritten);
    assertEquals(asWritten, rows);
    assertEquals("inner", optimized.executedGraph().operator("j").parameter("join_type"));
    assertEquals(1, optimized.summary().operator("j").detail("reference_filtered_out"));
  }
}
