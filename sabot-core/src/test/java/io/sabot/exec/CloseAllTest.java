package io.sabot.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ChangelogSource;
import io.sabot.connect.ReadContext;
import io.sabot.connect.ReferenceFeed;
import io.sabot.connect.Sink;
import io.sabot.connect.Source;
import io.sabot.connect.SourcePartition;
import io.sabot.error.JobExecutionException;
import io.sabot.graph.JobFile;
import io.sabot.plan.JobPlanner;
import io.sabot.plan.PhysicalPlan;
import io.sabot.plan.PipelinePlan;
import io.sabot.plan.ReferenceBuild;
import io.sabot.plan.SinkPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a job leaves when a live reference feed fails to close: every other table is still closed
 * (the job's allocator ends at zero bytes, or its close would report the leak), and the job's own
 * failure, if it failed, is what the caller gets, with the close failure suppressed on it.
 */
class CloseAllTest {
  private static final String FEED_FAILURE = "injected: the changelog feed cannot close";

  @TempDir Path dir;

  /** Quotes joined with a live table (whose feed fails to close), then a table built once. */
  private PhysicalPlan plan(UnaryOperator<Sink> wrapSink) throws Exception {
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, String.join("\n",
        "job_name: two_tables",
        "operators:",
        "  - {name: quotes, type: SOURCE, parameters: {generator: quotes, rows: 20000, reference_rows: 100, batch_size: 1000}}",
        "  - {name: live, type: SOURCE, parameters: {generator: securities, rows: 20000, reference_rows: 100}}",
        "  - {name: fixed, type: SOURCE, parameters: {generator: securities, rows: 20000, reference_rows: 100}}",
        "  - {name: enrich_live, type: HASH_JOIN, parameters: {left_key: instrumentId, right_key: ID, join_type: left outer}}",
        "  - {name: enrich_fixed, type: HASH_JOIN, parameters: {left_key: instrumentId, right_key: ID, join_type: left outer}}",
        "  - {name: out, type: SINK, parameters: {path: out.csv}}",
        "connect: [[quotes, enrich_live], [live, enrich_live], [enrich_live, enrich_fixed],",
        "          [fixed, enrich_fixed], [enrich_fixed, out]]"));
    PhysicalPlan plan = JobPlanner.plan(JobFile.load(job));
    SinkPlan s = plan.sinks().get(0);
    PipelinePlan p = s.stream();
    List<ReferenceBuild> builds = new ArrayList<>();
    for (ReferenceBuild b : p.builds()) {
      if (!b.join().name().equals("enrich_live")) {
        builds.add(b);
        continue;
      }
      PipelinePlan in = b.input();
      PipelinePlan live = new PipelinePlan(in.sourceNode(), new UnclosableChangelog(in.source()),
          in.readColumns(), in.onError(), in.rejectsPath(), in.batchSize(), in.builds(),
          in.pipeline(), in.operators());
      builds.add(new ReferenceBuild(b.join(), live, b.keyColumns(), b.onDuplicate(),
          b.referenceFilter(), b.probe()));
    }
    assertEquals(2, builds.size(), "the stream pipeline builds both tables");
    PipelinePlan stream = new PipelinePlan(p.sourceNode(), p.source(), p.readColumns(), p.onError(),
        p.rejectsPath(), p.batchSize(), builds, p.pipeline(), p.operators());
    return new PhysicalPlan(plan.graph(), List.of(new SinkPlan(s.sinkNode(), wrapSink.apply(s.sink()),
        stream)), plan.schemas());
  }

  private static LocalExecutor executor() {
    return executor(2);
  }

  private static LocalExecutor executor(int threads) {
    return new LocalExecutor(new ExecutionOptions(threads, 1L << 30, null, Duration.ofMillis(20),
        new StopSignal()));
  }

  private static List<String> suppressed(Throwable t) {
    return Arrays.stream(t.getSuppressed()).map(Throwable::getMessage).collect(Collectors.toList());
  }

  @Test
  void shouldKeepTheJobsFailureAndSuppressTheCloseFailure() throws Exception {
    PhysicalPlan plan = plan(sink -> new FailingSink(sink, 2));
    JobExecutionException e = assertThrows(JobExecutionException.class, () -> executor().run(plan));
    assertEquals("Execution failed in operator out: No space left on device (injected at write 2)",
        e.getMessage());
    // The feed's failure rides along, and nothing else: no Arrow memory is left (a leak would
    // be suppressed here as the allocator's "Memory was leaked").
    assertEquals(List.of("Execution failed in operator reference tables: cannot close: "
        + "java.io.IOException: " + FEED_FAILURE), suppressed(e));
  }

  /**
   * The reader is interrupted while blocked handing a batch over (the queue of batches in flight
   * is full) before anything makes room: what a job failing mid-stream does (it interrupts the
   * reader, then drains) when the reader wakes first, now and then on a cold JVM. That batch's
   * task (its output, or its input and the live versions it pinned) must still reach the queue
   * and be closed, not be dropped: the job ends with no Arrow memory held.
   */
  @Test
  void shouldLeaveNoMemoryWhenTheReaderIsInterruptedWaitingForRoom() throws Exception {
    PhysicalPlan plan = plan(sink -> new FailingSink(sink, 1) {
      @Override
      public void write(org.apache.arrow.vector.VectorSchemaRoot batch, Object checkpoint,
                        Runnable onDurable) throws IOException {
        Thread reader = awaitReaderWaitingForRoom(null);
        reader.interrupt();
        awaitReaderWaitingForRoom(reader); // woke up, then waits for room again
        super.write(batch, checkpoint, onDurable);
      }
    });
    JobExecutionException e = assertThrows(JobExecutionException.class, () -> executor(1).run(plan));
    assertEquals("Execution failed in operator out: No space left on device (injected at write 1)",
        e.getMessage());
    assertEquals(List.of("Execution failed in operator reference tables: cannot close: "
        + "java.io.IOException: " + FEED_FAILURE), suppressed(e), "no memory leaked");
  }

  /**
   * The quotes reader once it is parked putting a batch into the full in-flight queue (and, when
   * {@code interrupted} is that thread, no longer has its interrupt pending).
   */
  private static Thread awaitReaderWaitingForRoom(Thread interrupted) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
        Thread thread = t.getKey();
        if (!thread.getName().equals("sabot-worker-quotes")
            || thread.getState() != Thread.State.WAITING
            || (interrupted != null && (thread != interrupted || thread.isInterrupted()))) {
          continue;
        }
        for (StackTraceElement f : t.getValue()) {
          if (f.getClassName().equals("io.sabot.exec.OrderedQueues")
              && f.getMethodName().equals("putQuietly")) {
            return thread;
          }
        }
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("the reader never waited for room in the in-flight queue");
  }

  @Test
  void shouldCloseEveryTableWhenAFeedFailsToCloseAfterASuccessfulJob() throws Exception {
    PhysicalPlan plan = plan(sink -> sink);
    JobExecutionException e = assertThrows(JobExecutionException.class, () -> executor().run(plan));
    assertEquals("Execution failed in operator reference tables: cannot close: "
        + "java.io.IOException: " + FEED_FAILURE, e.getMessage());
    assertEquals(FEED_FAILURE, e.getCause().getMessage());
    assertEquals(List.of(), suppressed(e), "nothing leaked: the fixed table was closed too");
    assertEquals(20_001, Files.readAllLines(dir.resolve("out.csv")).size());
  }

  @Test
  void shouldCloseEverythingAndKeepTheFirstCloseFailure() {
    List<String> closed = new ArrayList<>();
    IllegalStateException second = new IllegalStateException("second");
    Closer closer = new Closer(null);
    closer.close("a", () -> closed.add("a"));
    closer.close("b", () -> {
      closed.add("b");
      throw new IOException("first");
    });
    closer.close("c", () -> {
      closed.add("c");
      throw second;
    });
    closer.close("d", () -> closed.add("d"));
    JobExecutionException e = assertThrows(JobExecutionException.class, closer::finish);
    assertEquals(List.of("a", "b", "c", "d"), closed);
    assertEquals("Execution failed in operator b: cannot close: java.io.IOException: first",
        e.getMessage());
    assertEquals(List.of("Execution failed in operator c: cannot close: "
        + "java.lang.IllegalStateException: second"), suppressed(e));
    assertSame(second, e.getSuppressed()[0].getCause());
  }

  @Test
  void shouldNeverMaskTheJobsOwnFailure() {
    RuntimeException job = new RuntimeException("the job failed");
    Closer closer = new Closer(job);
    closer.close("a", () -> {
      throw new IOException("cannot flush");
    });
    closer.close("b", () -> {
      throw job; // the same failure again: not suppressed on itself
    });
    closer.finish(); // throws nothing: the caller is already throwing the job's failure
    assertEquals(List.of("Execution failed in operator a: cannot close: java.io.IOException: "
        + "cannot flush"), suppressed(job));
  }

  /** A changelog over a bounded source: its snapshot is the source's rows, its close fails. */
  private static final class UnclosableChangelog implements ChangelogSource {
    private final Source delegate;

    UnclosableChangelog(Source delegate) {
      this.delegate = delegate;
    }

    @Override
    public io.sabot.types.Schema schema() {
      return delegate.schema();
    }

    @Override
    public List<SourcePartition> partitions() {
      return delegate.partitions();
    }

    @Override
    public ReferenceFeed openFeed(ReadContext context) {
      return new ReferenceFeed() {
        @Override
        public BatchReader snapshot() throws IOException {
          List<SourcePartition> parts = delegate.partitions();
          assertEquals(1, parts.size(), "the securities generator has one partition");
          return parts.get(0).open(context);
        }

        @Override
        public boolean poll() {
          return false;
        }

        @Override
        public Map<String, Object> stats() {
          return Map.of();
        }

        @Override
        public void close() throws IOException {
          throw new IOException(FEED_FAILURE);
        }
      };
    }
  }
}
