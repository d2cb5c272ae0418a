package io.sabot.exec;

import io.sabot.connect.ReadStatus;
import io.sabot.connect.Sink;
import io.sabot.error.JobExecutionException;
import io.sabot.error.SabotBug;
import io.sabot.physical.HashJoinExec;
import io.sabot.physical.OutputLayout;
import io.sabot.plan.PhysicalPlan;
import io.sabot.plan.PipelinePlan;
import io.sabot.plan.ReferenceBuild;
import io.sabot.plan.SinkPlan;
import io.sabot.reference.ReferenceStore;
import io.sabot.reference.ReferenceTable;
import io.sabot.reference.ReferenceTableStatus;
import io.sabot.types.Schema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Runs a {@link PhysicalPlan} on this machine. For each sink: first every reference table is built
 * (its whole input read, so the stream never races its reference data), then the stream is read
 * through its fused pipeline by a pool of worker threads, and written in input order.
 *
 * <p>One Arrow allocator per job, with a limit; it must be empty when the job ends, or the job
 * fails with an internal error (a leak is a bug).
 */
public final class LocalExecutor {
  private final ExecutionOptions options;

  public LocalExecutor(ExecutionOptions options) {
    this.options = options;
  }

  public JobSummary run(PhysicalPlan plan) {
    long start = System.nanoTime();
    Run run = new Run(plan);
    JobSummary summary;
    try (RootAllocator allocator = new RootAllocator(RootAllocator.configBuilder()
        .maxAllocation(options.memoryLimit())
        .allocationManagerFactory(RecycledMemory.shared().factory())
        .build())) {
      ScheduledExecutorService progress = startProgress(run, start);
      Throwable failure = null;
      try {
        summary = runSinks(run, allocator, start);
      } catch (RuntimeException | Error e) {
        failure = e;
        throw e;
      } finally {
        if (progress != null) stopProgress(progress);
        run.closeAll(failure);
      }
      long leaked = allocator.getAllocatedMemory();
      if (leaked != 0) {
        throw new SabotBug("job " + plan.graph().jobName() + " ended with " + leaked
            + " bytes of Arrow memory still allocated");
      }
    } catch (OutOfMemoryException e) {
      throw new JobExecutionException(plan.graph().jobName(), null, "out of Arrow memory ("
          + e.getMessage() + "); the job's memory limit is " + options.memoryLimit()
          + " bytes: raise it (sabot run --memory) or lower batch_size", e);
    }
    return summary;
  }

  /** Runs every sink's pipelines; a checked failure becomes a JobExecutionException. */
  private JobSummary runSinks(Run run, RootAllocator allocator, long start) {
    PhysicalPlan plan = run.plan;
    try {
      PipelineRunner runner = new PipelineRunner(options.threads(), allocator, options.stop());
      for (SinkPlan sink : plan.sinks()) {
        if (options.stop().isRequested()) {
          run.stopped = true;
          break;
        }
        run.runSink(runner, sink, options.stop());
      }
      // Before the tables close: the summary samples their keys for its warnings.
      return run.summary(System.nanoTime() - start, allocator.getPeakMemoryAllocation(),
          options.threads());
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobExecutionException(plan.graph().jobName(), null, "interrupted", e);
    } catch (Exception e) {
      throw new JobExecutionException(plan.graph().jobName(), null, String.valueOf(e), e);
    }
  }

  /**
   * Ends the progress ticks, waiting (up to 5 s) for one under way: a tick reads the tables and
   * stores that are closed next.
   */
  private static void stopProgress(ScheduledExecutorService progress) {
    progress.shutdown(); // no further tick; one under way finishes (a report it is publishing)
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    boolean interrupted = false;
    while (!progress.isTerminated() && System.nanoTime() < deadline) {
      try {
        progress.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) { // a stopped job still waits for the tick
        interrupted = true;
      }
    }
    if (!progress.isTerminated()) progress.shutdownNow(); // a tick stuck: interrupted, not awaited
    if (interrupted) Thread.currentThread().interrupt();
  }

  private ScheduledExecutorService startProgress(Run run, long start) {
    if (options.progress() == null) return null;
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(daemonThreads());
    long every = options.progressEvery().toMillis();
    Set<Class<?>> told = ConcurrentHashMap.newKeySet();
    s.scheduleAtFixedRate(() -> {
      try {
        options.progress().accept(run.progress(start));
      } catch (RuntimeException | Error e) {
        // a task that throws is never run again: progress, an agent's reports and a stop a
        // listener would request would end with it; a failed tick is skipped, the next one
        // runs (each kind of failure told once), but an Error still ends them, told first
        boolean error = e instanceof Error;
        if (told.add(e.getClass()) || error) {
          System.err.println("WARNING: a progress report of job " + run.plan.graph().jobName()
              + " failed (" + e + "); " + (error ? "no further reports are made"
              : "the job goes on, and so do the next reports"));
        }
        if (error) throw (Error) e;
      }
    }, every, every, TimeUnit.MILLISECONDS);
    return s;
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "sabot-worker-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** The state of one job run: tables, counters, dead-letter files. */
  private static final class Run {
    private final PhysicalPlan plan;
    /** Reference tables and stores, closed when the job ends. */
    private final List<AutoCloseable> tables = new ArrayList<>();
    /** Per join whose state_backend is not memory: which backend was chosen, and why. */
    private final Map<String, Map<String, Object>> backends = new LinkedHashMap<>();
    private final List<DeadLetters> deadLetters = new ArrayList<>();
    private final List<LiveReferences> liveReferences = new ArrayList<>();
    // Read by the progress thread while the job thread adds to them: synchronized maps.
    private final Map<String, SourceCounters> sources = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Long> buildMillis = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, SinkCounters> sinkRows = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile PipelinePlan currentStream;
    private volatile LiveReferences currentLive;
    private volatile String currentSink;
    private long streamNanos;
    private boolean stopped;

    Run(PhysicalPlan plan) {
      this.plan = plan;
    }

    /**
     * Builds the sink's reference tables, then streams into it. A stop before the stream starts
     * leaves the sink unopened (its file untouched); a stop mid-stream flushes what it wrote.
     */
    void runSink(PipelineRunner runner, SinkPlan sinkPlan, StopSignal stop) throws Exception {
      PipelinePlan stream = sinkPlan.stream();
      LiveReferences live = new LiveReferences(stream, runner.allocator());
      liveReferences.add(live);
      SinkCounters counters = new SinkCounters();
      sinkRows.put(sinkPlan.sinkNode().name(), counters);
      Sink sink = sinkPlan.sink();
      String sinkName = sinkPlan.sinkNode().name();
      SinkPreparation preparation = SinkPreparation.start(sink, sinkName);
      try {
        buildReferences(runner, stream, stream.rejectsPath(), live);
      } catch (Exception | Error e) {
        preparation.abandon(e);
        throw e;
      }
      if (stop.isRequested()) { // a table may be incomplete: probe none of them
        preparation.abandon(null);
        stopped = true;
        return;
      }
      currentLive = live;
      currentSink = sinkPlan.sinkNode().name();
      currentStream = stream;
      Throwable failure = null;
      try {
        preparation.await();
        boolean rows = sink.needsRows();
        OutputLayout layout = outputLayout(sink, stream, live);
        if (layout != null && layout.hasDictionaries()) {
          sink.useDictionaries(layout.arrowSchema(), layout.dictionaries());
        }
        sink.open(stream.pipeline().outputSchema());
        long t0 = System.nanoTime();
        SourceCounters sourceCounters = counters(stream, stream.rejectsPath());
        // an exactly-once sink already holds rows up to this position: start there
        boolean complete = runner.run(stream, sourceCounters.deadLetters(), sourceCounters.rowsRead,
            sourceCounters.status(), layout, live.isEmpty() ? null : live, sink.resumePosition(),
            rows ? sink.parallelEncoder() : null, new PipelineRunner.BatchConsumer() {
              @Override
              public void accept(VectorSchemaRoot batch, int n, PipelineRunner.Delivery delivery)
                  throws Exception {
                accept(batch, n, delivery, null);
              }

              @Override
              public void accept(VectorSchemaRoot batch, int n, PipelineRunner.Delivery delivery,
                                 Object encoded) throws Exception {
                counters.handed.add(n);
                try {
                  if (rows) {
                    // rows count as written once durable (Sink's contract), and only then may
                    // the source commit their position
                    Runnable onDurable = () -> {
                      counters.durable.add(n);
                      delivery.done();
                    };
                    if (encoded != null) {
                      sink.writeEncoded(batch, encoded, delivery.checkpoint(), onDurable);
                    } else {
                      sink.write(batch, delivery.checkpoint(), onDurable);
                    }
                  } else {
                    sink.countOnly(n);
                    counters.durable.add(n);
                    delivery.done();
                  }
                } finally {
                  if (batch != null) batch.close();
                }
              }

              @Override
              public void idle() throws Exception {
                sink.flush();
              }

              @Override
              public void endOfInput(boolean complete) throws Exception {
                if (complete) {
                  sink.finish();
                } else {
                  sink.flush();
                }
              }
            });
        if (!complete) stopped = true;
        streamNanos += System.nanoTime() - t0;
        live.stopRefreshing(); // the summary reads the tables as the stream left them
      } catch (IOException e) { // the sink's own failure (a source's comes named already)
        failure = sinkFailure(sinkName, e);
      } catch (Throwable t) {
        failure = t;
      }
      try {
        sink.close();
      } catch (IOException | RuntimeException e) {
        if (failure == null) failure = sinkFailure(sinkName, e);
        else failure.addSuppressed(e);
      }
      if (failure instanceof Exception) throw (Exception) failure;
      if (failure instanceof Error) throw (Error) failure;
    }

    /**
     * The layout of the sink's batches: none when it only counts rows; reference strings
     * dictionary-encoded when it reads them so, except for live tables (their versions do not
     * outlive the batch that probed them; see {@link OutputLayout}); else plain.
     */
    private static OutputLayout outputLayout(Sink sink, PipelinePlan stream, LiveReferences live) {
      if (!sink.needsRows()) return null;
      if (!sink.readsDictionaryStrings()) return OutputLayout.plain();
      // a stored table's rows, like a live version's, live only as long as the batch that looked them up
      return OutputLayout.dictionaryStrings(stream.pipeline(),
          origin -> !live.isLiveOrigin(origin) && !isStoredOrigin(stream, origin));
    }

    private static boolean isStoredOrigin(PipelinePlan stream, int origin) {
      for (HashJoinExec j : stream.pipeline().joins()) {
        if (j.refOrigin() == origin && j.store() != null) return true;
      }
      return false;
    }

    private static JobExecutionException sinkFailure(String sink, Exception e) {
      return new JobExecutionException(sink, null, e.getMessage() == null ? e.toString()
          : e.getMessage(), e);
    }

    private boolean runPipeline(PipelineRunner runner, PipelinePlan p, Path defaultRejects,
                                boolean buildOutput, PipelineRunner.BatchConsumer consumer)
        throws Exception {
      SourceCounters counters = counters(p, defaultRejects);
      return runner.run(p, counters.deadLetters(), counters.rowsRead, buildOutput, consumer);
    }

    private SourceCounters counters(PipelinePlan p, Path defaultRejects) {
      Path rejects = p.rejectsPath() != null ? p.rejectsPath() : defaultRejects;
      DeadLetters dl = new DeadLetters(p.sourceName(), p.onError(), rejects);
      deadLetters.add(dl);
      SourceCounters counters = new SourceCounters(dl);
      sources.put(p.sourceName(), counters);
      return counters;
    }

    /**
     * Builds every table the pipeline probes (and, first, the tables those builds probe). A
     * table whose input is a changelog (a compacted topic) is loaded to the changelog's current
     * end and kept live by {@code live} (only the stream pipeline's own joins; null: none).
     */
    private void buildReferences(PipelineRunner runner, PipelinePlan p, Path rejects,
                                 LiveReferences live) throws Exception {
      for (ReferenceBuild build : p.builds()) {
        PipelinePlan input = build.input();
        buildReferences(runner, input, rejects, null);
        long t0 = System.nanoTime();
        if (live != null && LiveReferences.isLive(build)) {
          SourceCounters counters = counters(input, rejects);
          counters.rowsRead.add(live.open(build, counters.deadLetters()));
          buildMillis.put(build.join().name(), (System.nanoTime() - t0) / 1_000_000);
          continue;
        }
        Schema schema = input.pipeline().outputSchema();
        try (ReferenceLoad load = new ReferenceLoad(build, schema, runner.allocator())) {
          runPipeline(runner, input, rejects, true, (batch, n, delivery) -> load.add(batch));
          tables.add(load.finish());
          if (load.choice() != null) {
            backends.put(build.join().name(), Map.of("state_backend", load.choice()));
          }
        }
        buildMillis.put(build.join().name(), (System.nanoTime() - t0) / 1_000_000);
      }
    }

    ExecutionOptions.Progress progress(long start) {
      PipelinePlan s = currentStream;
      // The stream is current a moment before its counters exist: a tick then reads 0 (a
      // NullPointerException here would end the periodic task for good, and with it progress and
      // any stop a progress listener would request).
      SourceCounters c = s == null ? null : sources.get(s.sourceName());
      long in = c == null ? 0 : c.rowsRead.sum();
      long out;
      synchronized (sinkRows) {
        out = sinkRows.values().stream().mapToLong(k -> k.handed.sum()).sum();
      }
      double rate = Double.NaN;
      if (s != null) {
        long probed = 0, matched = 0;
        for (HashJoinExec j : s.pipeline().joins()) {
          probed += j.rowsIn();
          matched += j.matched();
        }
        if (probed > 0) rate = (double) matched / probed;
      }
      if (s == null || c == null) {
        return new ExecutionOptions.Progress((System.nanoTime() - start) / 1e9, in, out, rate);
      }
      return new ExecutionOptions.Progress((System.nanoTime() - start) / 1e9, in, out, rate,
          operatorsNow(s, c), c.status().current(), referencesNow(s));
    }

    /**
     * The stream pipeline's operators so far, read from the counters the workers add to (the
     * hot path does nothing more for it): the source (rows read, rejected), each step, the sink
     * (rows handed to it, rows durable).
     */
    private List<OperatorSummary> operatorsNow(PipelinePlan s, SourceCounters c) {
      List<OperatorSummary> out = new ArrayList<>();
      long read = c.rowsRead().sum();
      long rejected = c.deadLetters().rejected();
      out.add(new OperatorSummary(s.sourceName(), io.sabot.graph.OperatorType.SOURCE,
          read + rejected, read, Map.of("rejected", rejected)));
      for (io.sabot.plan.OperatorStep step : s.operators()) {
        out.add(new OperatorSummary(step.node().name(), step.node().operatorType(),
            step.metrics().rowsIn(), step.metrics().rowsOut(), Map.of()));
      }
      String sink = currentSink;
      SinkCounters k = sink == null ? null : sinkRows.get(sink);
      if (k != null) {
        out.add(new OperatorSummary(sink, io.sabot.graph.OperatorType.SINK, k.handed().sum(),
            k.durable().sum(), Map.of()));
      }
      return out;
    }

    /** The tables the stream probes: a live one as its feed has it, another as it was built. */
    private List<ReferenceTableStatus> referencesNow(PipelinePlan s) {
      List<ReferenceTableStatus> out = new ArrayList<>();
      LiveReferences live = currentLive;
      for (ReferenceBuild b : s.builds()) {
        String join = b.join().name();
        long millis = buildMillis.getOrDefault(join, 0L);
        ReferenceTableStatus status = live == null ? null : live.status(b, millis);
        if (status == null) status = builtOnce(b, millis);
        out.add(status);
      }
      return out;
    }

    /** A table built once (none yet: 0 rows, no version), in memory or in a store. */
    private static ReferenceTableStatus builtOnce(ReferenceBuild b, long millis) {
      String join = b.join().name();
      ReferenceStore store = b.probe().store();
      if (store != null) {
        return new ReferenceTableStatus(join, store.rowCount(), 1, millis, 0, store.storage(), null);
      }
      ReferenceTable t = b.probe().table();
      if (t == null) return new ReferenceTableStatus(join, 0, 0, millis);
      return new ReferenceTableStatus(join, t.rowCount(), 1, millis, 0,
          ReferenceTableStatus.Storage.of(t, b.probe().rowsIn()), null);
    }

    /**
     * Closes every live feed, table and dead-letter file, even when one fails to close; see
     * {@link Closer}: the job's own failure ({@code jobFailure}, null if none) is never masked.
     */
    void closeAll(Throwable jobFailure) {
      Closer closer = new Closer(jobFailure);
      for (LiveReferences live : liveReferences) closer.close("reference tables", live);
      for (AutoCloseable table : tables) closer.close("reference tables", table);
      for (DeadLetters d : deadLetters) closer.close("dead letters", d);
      closer.finish();
    }

    JobSummary summary(long wallNanos, long peakArrowBytes, int threads) {
      SummaryBuilder b = new SummaryBuilder(plan, sources, buildMillis, sinkRows);
      b.joinDetails(backends);
      for (LiveReferences live : liveReferences) b.joinDetails(live.stats());
      return b.build(wallNanos, streamNanos, peakArrowBytes, threads, stopped);
    }
  }

  /** A sink's counters: rows handed to it, and rows it reported durable. */
  record SinkCounters(LongAdder handed, LongAdder durable) {
    SinkCounters() {
      this(new LongAdder(), new LongAdder());
    }
  }

  /** A source's counters: rows decoded, its dead letters, where its reader stands. */
  record SourceCounters(LongAdder rowsRead, DeadLetters deadLetters, ReadStatus status) {
    SourceCounters(DeadLetters deadLetters) {
      this(new LongAdder(), deadLetters, new ReadStatus());
    }
  }
}
