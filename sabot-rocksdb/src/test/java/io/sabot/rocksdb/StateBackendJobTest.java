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
import io.sabot.exec.StopSignal;
import io.sabot.graph.JobFile;
import io.sabot.graph.JobGraph;
import io.sabot.reference.ReferenceTableStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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

  /**
   * A running job's progress tells a table loaded once into RocksDB as its store has it: its
   * rows (it said 0), the backend and the store's figures.
   */
  @Test
  void shouldTellAStoredTableInTheProgressOfARunningJob() throws IOException {
    StringBuilder csv = new StringBuilder("ID,NAME\n");
    for (int i = 0; i < 100; i++) csv.append(i).append(",S").append(i).append('\n');
    Files.writeString(dir.resolve("securities.csv"), csv);
    String yaml = "job_name: progress\n"
        + "operators:\n"
        + "  - {name: quotes, type: SOURCE, parameters: {generator: quotes, rows: 1000000000000,"
        + " reference_rows: 100}}\n"
        + "  - {name: securities, type: SOURCE, parameters: {path: securities.csv, format: csv,"
        + " schema: {ID: int64, NAME: string}}}\n"
        + "  - {name: enrich, type: HASH_JOIN, parameters: {left_key: instrumentId, right_key: ID,"
        + " state_backend: rocksdb}}\n"
        + "  - {name: out, type: SINK, parameters: {discard: true}}\n"
        + "connect: [[quotes, enrich], [securities, enrich], [enrich, out]]\n";
    JobGraph g = JobFile.parse(yaml, "test");
    g.setBaseDirectory(dir);
    StopSignal stop = new StopSignal();
    AtomicReference<ReferenceTableStatus> seen = new AtomicReference<>();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    ExecutionOptions options = new ExecutionOptions(2, ExecutionOptions.defaults().memoryLimit(),
        p -> {
          for (ReferenceTableStatus t : p.references()) {
            if (seen.get() == null && t.storage() != null && t.storage().lookups() > 0) {
              seen.set(t);
              stop.request();
            }
          }
          if (System.nanoTime() > deadline) stop.request();
        }, Duration.ofMillis(20), stop);
    JobSummary s = new JobManager(options, null).submitJob(g).summary();
    ReferenceTableStatus t = seen.get();
    assertTrue(t != null, "the progress never showed the store: " + s.format());
    assertEquals("enrich", t.join());
    assertEquals(100, t.rows(), "the store's rows");
    assertEquals(1, t.versions());
    assertEquals("rocksdb", t.storage().backend());
    assertTrue(t.storage().lookups() <= join(s).detail("lookups"), t + " " + s.format());
    assertTrue(t.storage().bytesInMemory() >= 0 && t.storage().bytesOnDisk() >= 0, t.toString());
    assertEquals(null, t.snapshot(), "no state_dir, no snapshot");
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
