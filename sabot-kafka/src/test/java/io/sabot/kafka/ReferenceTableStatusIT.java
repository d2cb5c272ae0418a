package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.connect.KeptSnapshot;
import io.sabot.exec.AgentSummaries;
import io.sabot.exec.ExecutionOptions;
import io.sabot.exec.JobManager;
import io.sabot.exec.JobSummary;
import io.sabot.exec.OperatorSummary;
import io.sabot.exec.StopSignal;
import io.sabot.graph.JobFile;
import io.sabot.reference.ReferenceTableStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a running job's progress says of its reference table, which an agent reports on the
 * status topic and serves as metrics: where the table is kept and what that takes, and the
 * snapshot its changelog's reader keeps between runs (its age and size, and after a restart how
 * long the restore took), in memory and in RocksDB. The job's summary says the same once it ends.
 */
@Tag("integration")
class ReferenceTableStatusIT {
  /** {@link ReferenceSnapshotIT#JOB} with an endless stream: each run goes on until stopped. */
  private static final String JOB = ReferenceSnapshotIT.JOB.replace("bounded: true", "bounded: false");
  private static final int QUOTES = 2_000;
  private static final int SECURITIES = 1_000;

  /** A run stopped once its progress showed {@code status}. */
  private record Run(JobSummary summary, ReferenceTableStatus status) {}

  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocksdb"})
  void shouldTellWhereTheTableIsAndItsSnapshotWhileTheJobRuns(String backend, @TempDir Path dir)
      throws Exception {
    String quotes = TestBroker.topic("quotes");
    String securities = TestBroker.topic("securities");
    TestBroker.createTopic(quotes, 1, false);
    TestBroker.createTopic(securities, 3, true);
    List<String> q = new ArrayList<>();
    // every quote its own key: a stored table reads each once, so lookups = quotes there too
    for (int i = 0; i < QUOTES; i++) q.add("{\"instrumentId\":" + i + "}");
    TestBroker.produceValues(quotes, q);
    List<String[]> s = new ArrayList<>();
    for (int i = 0; i < SECURITIES; i++) {
      s.add(new String[] {Long.toString(i), "{\"ID\":" + i + ",\"NAME\":\"S" + i + "\",\"PRICE\":1.5}"});
    }
    TestBroker.produce(securities, s);
    Path state = dir.resolve("state");
    Path snapshot = state.resolve("enrich").resolve(ReferenceSnapshotFile.NAME);
    Path job = Jobs.write(dir, "job.yaml", JOB, Map.of("QUOTES", quotes, "SECURITIES", securities,
        "BOOTSTRAP", TestBroker.bootstrap(), "OUT", dir.resolve("out.jsonl").toString(), "KEY", "",
        "MORE", "", "STATE", ", state_dir: '" + state + "', state_backend: " + backend));
    boolean stored = backend.equals("rocksdb");

    // the first run reads the topic, writes its snapshot after the bootstrap, probes every quote
    Run first = runUntil(job, t -> t.snapshot() != null && t.snapshot().ageSeconds() >= 0
        && t.storage().lookups() == QUOTES && (!stored || t.storage().bytesOnDisk() > 0));
    ReferenceTableStatus t = first.status();
    assertEquals(SECURITIES, t.rows(), t.toString());
    assertEquals(backend, t.storage().backend());
    assertTrue(t.storage().bytesInMemory() > 0, t.toString());
    if (!stored) {
      assertTrue(t.storage().bytesInMemory() >= SECURITIES * 8L, "the ID column at least: " + t);
      assertEquals(0, t.storage().bytesOnDisk());
      assertEquals(-1.0, t.storage().blockCacheHitRate());
    }
    KeptSnapshot k = t.snapshot();
    assertTrue(k.ageSeconds() <= 60, "written by this run: " + k);
    assertEquals(Files.size(snapshot), k.bytes(), "nothing new was published: the file is that one");
    assertEquals(-1, k.restoreMillis(), "the first run restored nothing");
    assertSummarySays(first.summary(), backend, Files.size(snapshot), -1);

    // the restart restores the snapshot: the progress says how long that took, as the summary does
    Run second = runUntil(job, u -> u.storage().lookups() == QUOTES);
    KeptSnapshot restored = second.status().snapshot();
    assertNotNull(restored, second.status().toString());
    OperatorSummary join = second.summary().operator("enrich");
    assertEquals(true, join.details().get("restored_from_snapshot"), second.summary().format());
    assertEquals(join.detail("restore_millis"), restored.restoreMillis(), restored.toString());
    assertTrue(restored.restoreMillis() >= 0, restored.toString());
    assertTrue(restored.ageSeconds() >= 0 && restored.ageSeconds() <= 60,
        "the age of the snapshot the first run wrote: " + restored);
    assertEquals(Files.size(snapshot), restored.bytes());
    assertEquals(backend, second.status().storage().backend());
    assertSummarySays(second.summary(), backend, Files.size(snapshot), restored.restoreMillis());
  }

  /** The table as the finished job's summary tells it (what an agent's last report carries). */
  private static void assertSummarySays(JobSummary summary, String backend, long snapshotBytes,
                                        long restoreMillis) {
    ReferenceTableStatus t = AgentSummaries.references(summary).get(0);
    OperatorSummary join = summary.operator("enrich");
    assertEquals(backend, t.storage().backend(), summary.format());
    assertEquals(join.detail("bytes_in_memory"), t.storage().bytesInMemory(), summary.format());
    assertTrue(t.storage().bytesInMemory() > 0, summary.format());
    assertEquals(QUOTES, t.storage().lookups(), summary.format());
    assertEquals(snapshotBytes, t.snapshot().bytes(), summary.format());
    assertEquals(restoreMillis, t.snapshot().restoreMillis(), summary.format());
  }

  /**
   * Runs the job until a progress report's {@code enrich} table satisfies {@code seen} (or a
   * minute passed: then the test fails), then stops it.
   */
  private static Run runUntil(Path job, Predicate<ReferenceTableStatus> seen) {
    StopSignal stop = new StopSignal();
    AtomicReference<ReferenceTableStatus> status = new AtomicReference<>();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    ExecutionOptions defaults = ExecutionOptions.defaults();
    ExecutionOptions options = new ExecutionOptions(2, defaults.memoryLimit(), p -> {
      for (ReferenceTableStatus t : p.references()) {
        if (status.get() == null && t.join().equals("enrich") && t.storage() != null && seen.test(t)) {
          status.set(t);
          stop.request();
        }
      }
      if (System.nanoTime() > deadline) stop.request();
    }, Duration.ofMillis(20), stop);
    JobSummary summary = new JobManager(options).submitJob(JobFile.load(job)).summary();
    assertTrue(summary.stopped(), summary.format());
    assertNotNull(status.get(), "the progress never showed the table so: " + summary.format());
    assertNull(summary.operator("enrich").details().get("snapshot_refused"), summary.format());
    return new Run(summary, status.get());
  }
}
