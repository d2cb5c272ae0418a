package io.sabot.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.error.InvalidJobException;
import io.sabot.error.JobExecutionException;
import io.sabot.exec.ExecutionOptions;
import io.sabot.exec.JobManager;
import io.sabot.exec.JobSummary;
import io.sabot.exec.OperatorSummary;
import io.sabot.graph.JobFile;
import io.sabot.graph.JobGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HASH_JOIN's state backend end to end, on real files and a real RocksDB: plan errors, what
 * {@code auto} chooses and says, the summary's store figures, duplicate errors worded as the
 * memory table words them, and the store's folder removed when the job ends.
 */
class StateBackendJobTest {
  @TempDir
  Path dir;

  private static final String QUOTES = "id,sym\n1,a\n2,b\n3,c\n4,\n5,a\n6,zz\n";
  private static final String SECURITIES = "sym,name,rank\na,Alpha,1\nb,Beta,2\na,Again,3\n,Nobody,4\n"
      + "c,Gamma,5\n";

  @Test
  void shouldNameTheOperatorAndParameterOfABadStateBackend() throws IOException {
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> run(", state_backend: disk"));
    assertTrue(e.getMessage().contains("operator=enrich parameter=state_backend value=disk is not "
        + "supported; use memory, rocksdb or auto"), e.getMessage());
  }

  @Test
  void shouldRejectAMemoryBudgetThatIsNotASize() throws IOException {
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> run(", state_backend: auto, memory_budget: lots"));
    assertTrue(e.getMessage().contains("operator=enrich parameter=memory_budget value=lots is not a "
        + "size; use bytes, or a number with k, m, g or t (512m, 2g)"), e.getMessage());
  }

  @Test
  void shouldRejectStoreParametersOnAMemoryTable() throws IOException {
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> run(", memory_budget: 1g"));
    assertTrue(e.getMessage().contains("operator=enrich parameter=memory_budget applies only to "
        + "state_backend: rocksdb or auto, but state_backend is memory"), e.getMessage());
  }

  @Test
  void shouldKeepASmallTableInMemoryUnderAutoAndSayWhy() throws IOException {
    JobSummary s = run(", state_backend: auto, memory_budget: 1g");
    assertEquals(List.of("1,a,Again,3", "2,b,Beta,2", "3,c,Gamma,5", "5,a,Again,3"), output());
    Object choice = join(s).details().get("state_backend");
    assertTrue(String.valueOf(choice).matches("memory \\(auto: [0-9]+ B <= memory_budget 1\\.0 GiB\\)"),
        String.valueOf(choice));
  }

  @Test
  void shouldMoveATableOverBudgetToRocksDbUnderAutoAndGiveTheSameRows() throws IOException {
    JobSummary s = run(", state_backend: auto, memory_budget: 1");
    assertEquals(List.of("1,a,Again,3", "2,b,Beta,2", "3,c,Gamma,5", "5,a,Again,3"), output());
    assertTrue(String.valueOf(join(s).details().get("state_backend"))
        .matches("rocksdb \\(auto: [0-9]+ B after 2 rows > memory_budget 1 B\\)"), s.format());
  }

  @Test
  void shouldReportTheStoreInTheSummaryAndRemoveItsFilesAtTheEnd() throws IOException {
    Path state = dir.resolve("state");
    JobSummary s = run(", state_backend: rocksdb, state_dir: '" + state + "'");
    assertEquals(List.of("1,a,Again,3", "2,b,Beta,2", "3,c,Gamma,5", "5,a,Again,3"), output());
    OperatorSummary j = join(s);
    assertEquals("rocksdb", j.details().get("state_backend"));
    assertEquals(5L, j.detail("reference_rows"));
    assertEquals(3L, j.detail("reference_keys"));
    assertEquals(1L, j.detail("replaced_duplicates"));
    assertEquals(1L, j.detail("null_key_rows"));
    // distinct non-null keys per stream batch of 2: (a, b), (c, null), (a, zz)
    assertEquals(5L, j.detail("lookups"));
    assertTrue(j.detail("bytes_on_disk") > 0, s.format());
    assertTrue(String.valueOf(j.details().get("block_cache_hit_rate")).endsWith("%"), s.format());
    try (Stream<Path> left = Files.list(state)) {
      assertEquals(List.of(), left.toList(), "the store's folder is removed when the job ends");
    }
  }

  @Test
  void shouldStopAtADuplicateKeyWithTheMemoryTablesMessage() throws IOException {
    JobExecutionException memory = assertThrows(JobExecutionException.class,
        () -> run(", on_duplicate: error"));
    JobExecutionException rocksdb = assertThrows(JobExecutionException.class,
        () -> run(", on_duplicate: error, state_backend: rocksdb"));
    assertTrue(memory.getMessage().contains("duplicate key sym=\"a\" in the reference input (rows 1 "
        + "and 3)"), memory.getMessage());
    assertEquals(memory.getMessage(), rocksdb.getMessage());
  }

  private JobSummary run(String joinParameters) throws IOException {
    Files.writeString(dir.resolve("quotes.csv"), QUOTES);
    Files.writeString(dir.resolve("securities.csv"), SECURITIES);
    String yaml = "job_name: state_backend\n"
        + "operators:\n"
        + "  - {name: quotes, type: SOURCE, parameters: {path: quotes.csv, format: csv, batch_size: 2,"
        + " schema: {id: int64, sym: string}}}\n"
        + "  - {name: securities, type: SOURCE, parameters: {path: securities.csv, format: csv,"
        + " batch_size: 2, schema: {sym: string, name: string, rank: int32}}}\n"
        + "  - {name: enrich, type: HASH_JOIN, parameters: {left_key: sym, right_key: sym"
        + joinParameters + "}}\n"
        + "  - {name: out, type: SINK, parameters: {path: out.csv, format: csv}}\n"
        + "connect:\n"
        + "  - [quotes, enrich]\n"
        + "  - [securities, enrich]\n"
        + "  - [enrich, out]\n";
    JobGraph g = JobFile.parse(yaml, "test");
    g.setBaseDirectory(dir);
    return new JobManager(ExecutionOptions.defaults().withThreads(2), null).submitJob(g).summary();
  }

  private List<String> output() throws IOException {
    List<String> lines = Files.readAllLines(dir.resolve("out.csv"));
    assertEquals("id,sym,name,rank", lines.get(0));
    return lines.subList(1, lines.size());
  }

  private static OperatorSummary join(JobSummary s) {
    return s.operator("enrich");
  }
}
