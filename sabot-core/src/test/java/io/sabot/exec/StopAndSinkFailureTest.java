package io.sabot.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.connect.Sink;
import io.sabot.error.JobExecutionException;
import io.sabot.graph.JobFile;
import io.sabot.plan.JobPlanner;
import io.sabot.plan.PhysicalPlan;
import io.sabot.plan.PipelinePlan;
import io.sabot.plan.SinkPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a stop and a failing sink leave behind: only whole rows under the final name, exactly the
 * rows the sink made durable, and source positions committed for exactly those rows.
 */
class StopAndSinkFailureTest {
  private static final long TS0 = 1_700_000_000_000L; // the generator's first ts (docs/workload.md)

  @TempDir Path dir;
  private CheckpointingSource source;

  /** The generated quotes (no filter: one output row per input row) into out.csv. */
  private PhysicalPlan plan(long rows, String mode, UnaryOperator<Sink> wrapSink) throws Exception {
    return plan(rows, mode, wrapSink, Integer.MAX_VALUE);
  }

  private PhysicalPlan plan(long rows, String mode, UnaryOperator<Sink> wrapSink, int stallAfter)
      throws Exception {
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, String.join("\n",
        "job_name: copy_quotes",
        "operators:",
        "  - {name: quotes, type: SOURCE, parameters: {generator: quotes, rows: " + rows
            + ", reference_rows: 100, batch_size: 1000}}",
        "  - {name: out, type: SINK, parameters: {path: out.csv" + (mode == null ? "" : ", mode: " + mode) + "}}",
        "connect: [[quotes, out]]"));
    PhysicalPlan plan = JobPlanner.plan(JobFile.load(job));
    SinkPlan s = plan.sinks().get(0);
    PipelinePlan p = s.stream();
    source = new CheckpointingSource(p.source(), stallAfter);
    PipelinePlan stream = new PipelinePlan(p.sourceNode(), source, p.readColumns(), p.onError(),
        p.rejectsPath(), p.batchSize(), p.builds(), p.pipeline(), p.operators());
    return new PhysicalPlan(plan.graph(), List.of(new SinkPlan(s.sinkNode(), wrapSink.apply(s.sink()),
        stream)), plan.schemas());
  }

  private static ExecutionOptions options(StopSignal stop) {
    return new ExecutionOptions(2, 1L << 30, null, Duration.ofMillis(20), stop);
  }

  /** The data lines of out.csv; each must be a whole row, in input order (ts = TS0 + row). */
  private List<String> rowsOf(Path out) throws Exception {
    List<String> lines = Files.readAllLines(out);
    assertEquals("instrumentId,price,size,ts", lines.get(0));
    List<String> rows = lines.subList(1, lines.size());
    for (int i = 0; i < rows.size(); i++) {
      String[] f = rows.get(i).split(",", -1);
      assertEquals(4, f.length, "line " + (i + 2) + ": " + rows.get(i));
      assertEquals(TS0 + i, Long.parseLong(f[3]), "line " + (i + 2));
    }
    return rows;
  }

  private List<String> hiddenFiles() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("."))
          .collect(Collectors.toList());
    }
  }

  @Test
  void shouldCommitPositionsOnlyForTheRowsAFailingSinkMadeDurable() throws Exception {
    PhysicalPlan plan = plan(100_000, "append", sink -> new FailingSink(sink, 5));
    JobExecutionException e = assertThrows(JobExecutionException.class,
        () -> new LocalExecutor(options(new StopSignal())).run(plan));
    assertEquals("Execution failed in operator out: No space left on device (injected at write 5)",
        e.getMessage());
    assertEquals(4_000, rowsOf(dir.resolve("out.csv")).size());
    assertEquals(List.of(1_000L, 2_000L, 3_000L, 4_000L), source.delivered);
    assertEquals(List.of(), hiddenFiles());
  }

  @Test
  void shouldLeaveTheEarlierOutputAsItWasWhenAnOverwritingSinkFails() throws Exception {
    Files.writeString(dir.resolve("out.csv"), "the previous run's output\n");
    PhysicalPlan plan = plan(100_000, null, sink -> new FailingSink(sink, 5));
    assertThrows(JobExecutionException.class, () -> new LocalExecutor(options(new StopSignal())).run(plan));
    assertEquals("the previous run's output\n", Files.readString(dir.resolve("out.csv")));
    assertEquals(List.of(), source.delivered);
    assertEquals(List.of(), hiddenFiles());
  }

  /** Runs an endless stream until {@code afterRows} rows were read, then requests a stop. */
  private JobSummary stopAfter(PhysicalPlan plan, long afterRows) throws Exception {
    StopSignal stop = new StopSignal();
    ExecutionOptions o = options(stop).withProgress(p -> {
      if (p.rowsIn() >= afterRows) stop.request();
    });
    return new LocalExecutor(o).run(plan);
  }

  /**
   * A progress report that fails (a listener's bug, or a table's figures) is skipped: the next
   * ones still come, and the stop the listener then requests stops the job. (A periodic task
   * that throws is never run again: an agent would stop reporting.)
   */
  @Test
  void shouldGoOnReportingProgressAfterAReportFailed() throws Exception {
    StopSignal stop = new StopSignal();
    AtomicInteger calls = new AtomicInteger();
    ExecutionOptions o = options(stop).withProgress(p -> {
      if (calls.incrementAndGet() == 1) throw new IllegalStateException("a listener's bug");
      stop.request();
    });
    Thread watchdog = new Thread(() -> { // without the next reports the job would never stop
      try {
        Thread.sleep(30_000);
        stop.request();
      } catch (InterruptedException e) {
        // the job stopped first
      }
    });
    watchdog.setDaemon(true);
    watchdog.start();
    JobSummary s;
    try {
      s = new LocalExecutor(o).run(plan(1_000_000_000_000L, "append", sink -> sink));
    } finally {
      watchdog.interrupt();
    }
    assertTrue(s.stopped(), s.format());
    assertTrue(calls.get() >= 2, "the report after the failed one came, and stopped the job");
  }

  @Test
  void shouldStopAnEndlessStreamWithWholeRowsAndPositionsForExactlyThem() throws Exception {
    JobSummary s = stopAfter(plan(1_000_000_000_000L, "append", sink -> sink), 50_000);
    assertTrue(s.stopped());
    assertTrue(s.format().startsWith("Job copy_quotes stopped (stream input not read to its end) in "),
        s.format());
    List<String> rows = rowsOf(dir.resolve("out.csv"));
    assertTrue(rows.size() >= 50_000, rows.size() + " rows");
    assertEquals(rows.size(), s.rowsOut());
    assertEquals(rows.size(), s.operator("out").rowsIn(), "every row read was written");
    assertEquals(rows.size(), source.committed());
    assertEquals(List.of(), s.warnings());
    assertEquals(List.of(), hiddenFiles());
  }

  @Test
  void shouldNotPublishAnOverwritingSinkWhenStopped() throws Exception {
    Files.writeString(dir.resolve("out.csv"), "the previous run's output\n");
    JobSummary s = stopAfter(plan(1_000_000_000_000L, null, sink -> sink), 20_000);
    assertTrue(s.stopped());
    assertEquals("the previous run's output\n", Files.readString(dir.resolve("out.csv")));
    assertEquals(0, s.rowsOut());
    long given = s.operator("out").rowsIn();
    assertTrue(given >= 20_000, given + " rows");
    assertEquals(List.of(String.format("operator=out wrote 0 of the %,d rows it was given: the job "
        + "stopped before its input ended, and the others were not durable yet (a file with mode: "
        + "overwrite or fail_if_exists appears only when the input ends, and is left as it was); "
        + "their source positions were not committed", given)), s.warnings());
    assertEquals(List.of(), source.delivered);
    assertEquals(List.of(), hiddenFiles());
  }

  @Test
  void shouldOpenNoSinkWhenStoppedBeforeTheStreamStarts() throws Exception {
    StopSignal stop = new StopSignal();
    stop.request();
    JobSummary s = new LocalExecutor(options(stop)).run(plan(1_000, null, sink -> sink));
    assertTrue(s.stopped());
    assertEquals(0, s.rowsOut());
    assertFalse(Files.exists(dir.resolve("out.csv")));
  }

  @Test
  void shouldFinishNormallyWhenNoStopComes() throws Exception {
    JobSummary s = new LocalExecutor(options(new StopSignal())).run(plan(10_500, "append", sink -> sink));
    assertFalse(s.stopped());
    assertEquals(10_500, rowsOf(dir.resolve("out.csv")).size());
    assertEquals(10_500L, source.committed());
    assertTrue(s.format().startsWith("Job copy_quotes finished in "), s.format());
  }

  @Test
  void shouldNameTheSinkWhoseFileCannotBeCreated() throws Exception {
    Files.writeString(dir.resolve("afile"), "x");
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, String.join("\n",
        "job_name: base",
        "operators:",
        "  - {name: quotes, type: SOURCE, parameters: {generator: quotes, rows: 10, reference_rows: 10}}",
        "  - {name: out, type: SINK, parameters: {path: afile/out.csv}}",
        "connect: [[quotes, out]]"));
    JobExecutionException e = assertThrows(JobExecutionException.class,
        () -> new JobManager(options(new StopSignal())).submitJob(JobFile.load(job)));
    assertEquals("Execution failed in operator out: cannot create the output: " + dir.resolve("afile")
        + " is a file, not a folder", e.getMessage());
  }

  @Test
  void shouldMakeRowsDurableAndCommitThemWhileTheStreamWaitsForMore() throws Exception {
    PhysicalPlan plan = plan(1_000_000, "append", sink -> sink, 3);
    StopSignal stop = new StopSignal();
    List<Long> committedWhileWaiting = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread watcher = new Thread(() -> {
      long deadline = System.currentTimeMillis() + 20_000;
      while (source.committed() < 3_000 && System.currentTimeMillis() < deadline) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
      committedWhileWaiting.addAll(source.delivered);
      stop.request();
    });
    watcher.start();
    JobSummary s = new LocalExecutor(options(stop)).run(plan);
    watcher.join();
    assertEquals(List.of(1_000L, 2_000L, 3_000L), committedWhileWaiting,
        "the rows read before the source went quiet were made durable without waiting for the stop");
    assertTrue(s.stopped());
    assertEquals(3_000, rowsOf(dir.resolve("out.csv")).size());
  }

  @Test
  void shouldLeaveNoOutputBehindWhenTheInputTurnsOutTruncated() throws Exception {
    // a valid Arrow stream of 100,000 quotes, cut in the middle of a batch
    Path gen = dir.resolve("gen.yaml");
    Files.writeString(gen, String.join("\n",
        "job_name: gen",
        "operators:",
        "  - {name: quotes, type: SOURCE, parameters: {generator: quotes, rows: 100000, reference_rows: 100}}",
        "  - {name: out, type: SINK, parameters: {path: in/quotes.arrow}}",
        "connect: [[quotes, out]]"));
    new JobManager(options(new StopSignal())).submitJob(JobFile.load(gen));
    Path arrow = dir.resolve("in/quotes.arrow");
    byte[] whole = Files.readAllBytes(arrow);
    Files.write(arrow, java.util.Arrays.copyOf(whole, whole.length * 2 / 3));
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, String.join("\n",
        "job_name: copy",
        "operators:",
        "  - {name: quotes, type: SOURCE, parameters: {path: in/quotes.arrow}}",
        "  - {name: out, type: SINK, parameters: {path: out.csv}}",
        "connect: [[quotes, out]]"));
    JobExecutionException e = assertThrows(JobExecutionException.class,
        () -> new JobManager(options(new StopSignal())).submitJob(JobFile.load(job)));
    assertTrue(e.getMessage().startsWith("Execution failed in operator quotes, partition quotes.arrow: "),
        e.getMessage());
    assertFalse(Files.exists(dir.resolve("out.csv")), "no partial output under the final name");
    assertEquals(List.of(), hiddenFiles());
  }
}
