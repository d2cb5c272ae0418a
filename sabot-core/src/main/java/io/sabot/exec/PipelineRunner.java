package io.sabot.exec;

import io.sabot.connect.BatchReader;
import io.sabot.connect.OwnedPartitions;
import io.sabot.connect.ReadContext;
import io.sabot.connect.ReadStatus;
import io.sabot.connect.Sink;
import io.sabot.connect.SourcePartition;
import io.sabot.error.JobExecutionException;
import io.sabot.physical.FusedPipeline;
import io.sabot.physical.OutputLayout;
import io.sabot.plan.PipelinePlan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Runs one pipeline (its reference tables already attached) from its source to a consumer,
 * morsel-driven: {@code threads} workers each take the next batch of a partition themselves,
 * process it through the fused pipeline, and complete the future the consumer takes it from.
 *
 * <pre>
 *  worker 1 ─┐  under the partition's lock: read a batch, queue its future   ┌─► consumer (the
 *  worker 2 ─┤  then, on the same thread:   filter, probe, build, encode ────┤   sink), in order
 *  ...      ─┘                                                               └── OrderedQueues
 * </pre>
 *
 * No thread hands a batch to another to be processed: on a small machine a hand-off costs
 * about as much as processing a batch (measured: the same rate with 1 and 2 threads, when each
 * batch went reader thread to pool thread; BENCHMARKS.md). A source of several partitions (the
 * files of a folder) is decoded by up to {@code threads} workers at once, one partition each;
 * when no unclaimed partition is left, a worker joins one still being read, so a single file or
 * topic partition keeps every worker busy (reads take turns, processing runs in parallel).
 *
 * <p>A partition's futures are queued in the order its batches were read, and the consumer
 * takes partition 0's batches, then partition 1's, and so on: output order equals the order one
 * reader would give. The queues hold a bounded number of batches in flight, so memory stays
 * bounded whatever the input size. Every batch is closed by its last owner, also on failure.
 *
 * <p>A {@link StopSignal} ends the input early: no further batch is read (a reader waiting for
 * records is told to {@link BatchReader#stop}), every batch already read is processed and
 * consumed as usual, and the consumer learns that the input did not end by itself.
 */
final class PipelineRunner {
  /** Receives each output batch in order and takes ownership of it (null when rows only are counted). */
  interface BatchConsumer {
    void accept(VectorSchemaRoot batch, int rows, Delivery delivery) throws Exception;

    /**
     * As above, with what the sink's {@link Sink.BatchEncoder} made of the batch on its worker
     * (null when there is no encoder, or it failed: the sink then encodes in write, and reports).
     */
    default void accept(VectorSchemaRoot batch, int rows, Delivery delivery, Object encoded)
        throws Exception {
      accept(batch, rows, delivery);
    }

    /**
     * After the last batch, when every batch was accepted: make every row durable (finish the
     * sink when {@code complete}, else flush what it has: the job was stopped), so each delivery
     * is done before the readers that gave checkpoints are closed.
     */
    default void endOfInput(boolean complete) throws Exception {}

    /**
     * No batch came for {@link #IDLE_MS} (a topic with nothing new): make what was written durable
     * now rather than at the next batch, so the source can commit its position while it waits.
     */
    default void idle() throws Exception {}
  }

  /** Where an output batch came from: the source position after its input batch. */
  record Delivery(Object checkpoint, BatchReader reader) {
    /** The sink has the batch's rows durably: tell the reader (which may commit its position). */
    void done() {
      if (checkpoint != null) reader.delivered(checkpoint);
    }
  }

  private record Output(VectorSchemaRoot batch, int rows, Delivery delivery, Object encoded) {}

  private static final Future<Output> END = CompletableFuture.completedFuture(null);
  static final long IDLE_MS = 500;

  private final int threads;
  private final BufferAllocator allocator;
  private final StopSignal stopSignal;

  BufferAllocator allocator() {
    return allocator;
  }

  PipelineRunner(int threads, BufferAllocator allocator, StopSignal stopSignal) {
    this.threads = threads;
    this.allocator = allocator;
    this.stopSignal = stopSignal;
  }

  /** Reads the whole source through the pipeline; false when a stop ended it early. */
  boolean run(PipelinePlan plan, DeadLetters rejects, LongAdder rowsRead, boolean buildOutput,
              BatchConsumer consumer) throws Exception {
    return run(plan, rejects, rowsRead, new ReadStatus(),
        buildOutput ? OutputLayout.plain() : null, null, null, null, consumer);
  }

  /**
   * As above; output batches are built in {@code output} (null: none, only rows counted). With
   * {@code live} (null: none), each batch probes the reference table versions pinned for it
   * when it was read, after the changes published so far were applied. With an {@code encoder}
   * (null: none), each output batch is also encoded on the worker that built it, so the consumer
   * (the sink) only appends the bytes. The reader publishes its partitions and lag to
   * {@code status}.
   */
  boolean run(PipelinePlan plan, DeadLetters rejects, LongAdder rowsRead, ReadStatus status,
              OutputLayout output, LiveReferences live, String resumeFrom,
              Sink.BatchEncoder encoder, BatchConsumer consumer) throws Exception {
    return new Run(plan, rejects, rowsRead, status, output, live, resumeFrom, encoder)
        .consume(consumer);
  }

  /** The state of one run: its workers, the partitions they read, the queues to the consumer. */
  private final class Run {
    private final PipelinePlan plan;
    private final LongAdder rowsRead;
    /** Null: no output batches, only row counts. */
    private final OutputLayout output;
    private final Sink.BatchEncoder encoder;
    private final LiveReferences live;
    private final FusedPipeline pipeline;
    private final ReadContext context;
    private final List<SourcePartition> partitions;
    /** Readers that gave checkpoints stay open until their last batch is durable. */
    private final List<BatchReader> positioned = Collections.synchronizedList(new ArrayList<>());
    private final OrderedQueues<Future<Output>> inFlight;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean cutShort = new AtomicBoolean();
    private final Set<BatchReader> reading = ConcurrentHashMap.newKeySet();
    /** Claimed partitions not yet ended, by index; guarded by itself, as is nextPartition. */
    private final List<OpenPartition> open = new ArrayList<>();
    private int nextPartition;
    private final AtomicInteger workersLeft;
    private final List<Thread> workerThreads = new ArrayList<>();

    Run(PipelinePlan plan, DeadLetters rejects, LongAdder rowsRead, ReadStatus status,
        OutputLayout output, LiveReferences live, String resumeFrom, Sink.BatchEncoder encoder) {
      this.encoder = encoder;
      this.plan = plan;
      this.rowsRead = rowsRead;
      this.output = output;
      this.live = live;
      this.pipeline = plan.pipeline();
      // the reader reports the partitions it reads where the co-partitioned feeds look
      this.context = new ReadContext(allocator, plan.readColumns(), plan.batchSize(), rejects,
          resumeFrom, live == null ? new OwnedPartitions() : live.owned(), status);
      this.partitions = plan.source().partitions();
      this.workersLeft = new AtomicInteger(threads);
      int readersAtOnce = Math.max(1, Math.min(threads, partitions.size()));
      this.inFlight = new OrderedQueues<>(partitions.size(),
          Math.max(2, (2 * threads + 1) / readersAtOnce));
    }

    /** Starts the workers and hands every output batch to {@code consumer}, in order. */
    boolean consume(BatchConsumer consumer) throws Exception {
      for (int k = 0; k < threads; k++) {
        Thread worker = new Thread(this::work, "sabot-worker-" + plan.sourceName()
            + (threads == 1 ? "" : "-" + k));
        worker.setDaemon(true);
        workerThreads.add(worker);
      }
      AutoCloseable stopListener = stopSignal.onRequest(() -> {
        stopping.set(true);
        for (BatchReader r : reading) r.stop();
      });
      workerThreads.forEach(Thread::start);

      Throwable failure = null;
      try {
        while (true) {
          Future<Output> f = inFlight.poll(IDLE_MS, END);
          if (f == null) {
            consumer.idle();
            continue;
          }
          if (f == END) break;
          Output out;
          try {
            out = f.get();
          } catch (ExecutionException e) {
            throw e.getCause();
          }
          try {
            consumer.accept(out.batch(), out.rows(), out.delivery(), out.encoded());
          } catch (Throwable t) {
            failure = t;
            abandon();
            break;
          }
        }
        if (failure == null) consumer.endOfInput(!cutShort.get());
      } catch (Throwable t) {
        if (failure == null) failure = t;
        abandon();
      }
      for (Thread worker : workerThreads) worker.join();
      stopListener.close();
      failure = closeAll(positioned, failure);
      if (failure instanceof Exception) throw (Exception) failure;
      if (failure instanceof Error) throw (Error) failure;
      return !cutShort.get();
    }

    /** After a failure: the workers stop, and every batch still on its way is closed. */
    private void abandon() {
      stop.set(true);
      workerThreads.forEach(Thread::interrupt); // a worker blocked waiting for new records (a topic)
      inFlight.drain(() -> workerThreads.stream().anyMatch(Thread::isAlive), PipelineRunner::discard);
    }

    /**
     * A worker thread (morsel-driven): takes the next batch of a partition itself, processes it
     * and completes the future the consumer waits for, until no partition is left. No thread
     * hands batches to another: a batch is read and processed on the same core.
     */
    private void work() {
      FusedPipeline.Worker worker = null;
      try {
        OpenPartition partition = null;
        while ((partition = claim(partition)) != null) {
          Morsel m = partition.next();
          if (m == null) continue; // the partition ended: claim another
          if (worker == null) worker = pipeline.newWorker();
          VectorSchemaRoot batch;
          try {
            batch = m.input.decode();
            rowsRead.add(batch.getRowCount());
          } catch (Throwable t) {
            if (m.pinned != null) m.pinned.release();
            stop.set(true); // a source failure: the other workers read no further
            m.result.completeExceptionally(partition.named(t));
            continue;
          }
          try {
            m.result.complete(process(plan.sourceName(), worker, batch, output, encoder,
                m.pinned, m.delivery));
          } catch (Throwable t) {
            m.result.completeExceptionally(t);
          }
        }
      } finally {
        if (workersLeft.decrementAndGet() == 0) {
          int claimed;
          synchronized (open) {
            claimed = nextPartition;
          }
          inFlight.endAll(Math.min(claimed, partitions.size()));
        }
      }
    }

    /**
     * The partition a worker reads next: {@code current} while it has batches, else the next
     * unclaimed one (parallel decode of a folder of files), else one another worker still reads
     * (several workers share a single file or topic partition, one read at a time); null when
     * none is left or the run stops.
     */
    private OpenPartition claim(OpenPartition current) {
      synchronized (open) {
        if (current != null && !current.ended()) return current;
        if (stop.get() || cutShort.get()) return null;
        if (nextPartition < partitions.size()) {
          OpenPartition p = new OpenPartition(nextPartition, partitions.get(nextPartition));
          nextPartition++;
          open.add(p);
          return p;
        }
        open.removeIf(OpenPartition::ended);
        return open.isEmpty() ? null : open.get(0);
      }
    }

    /**
     * One batch's input read by a worker (decoded, or to be decoded outside the lock:
     * {@link BatchReader#nextUndecoded}), and the future the consumer takes its output from.
     */
    private record Morsel(BatchReader.Undecoded input, LiveReferences.Pinned pinned,
                          Delivery delivery, CompletableFuture<Output> result) {}

    /**
     * A claimed partition: its reader, opened by the first worker to read it and read by one
     * worker at a time. Its batches enter its queue in read order, so the consumer sees them in
     * order whichever worker finishes first.
     */
    private final class OpenPartition {
      private final int index;
      private final SourcePartition partition;
      private BatchReader reader;
      private boolean keepOpen;
      private volatile boolean ended;

      OpenPartition(int index, SourcePartition partition) {
        this.index = index;
        this.partition = partition;
      }

      boolean ended() {
        return ended;
      }

      /**
       * The next batch, its output future already queued; null once the partition is done (its
       * end, a stop, or a failure, queued for the consumer to report).
       */
      synchronized Morsel next() {
        if (ended) return null;
        try {
          if (stopping.get()) cutShort.set(true);
          if (stop.get() || cutShort.get()) {
            end();
            return null;
          }
          if (reader == null) reader = openReader();
          BatchReader.Undecoded input = nextUnlessStopping(reader, stopping, cutShort);
          if (input == null) {
            end();
            return null;
          }
          Delivery delivery = new Delivery(reader.checkpoint(), reader);
          if (delivery.checkpoint() != null && !keepOpen) {
            keepOpen = true;
            positioned.add(reader);
          }
          LiveReferences.Pinned pinned;
          try {
            pinned = live == null ? null : live.pin();
          } catch (Throwable t) {
            input.close();
            throw t;
          }
          CompletableFuture<Output> result = new CompletableFuture<>();
          // put even if interrupted: every queued batch must reach the consumer or drain
          inFlight.put(index, result);
          return new Morsel(input, pinned, delivery, result);
        } catch (Throwable t) {
          stop.set(true); // the other workers read no further
          inFlight.put(index, CompletableFuture.failedFuture(named(t)));
          end();
          return null;
        }
      }

      private BatchReader openReader() {
        BatchReader r;
        try {
          r = partition.open(context);
        } catch (java.io.IOException e) {
          // opening failed before any record (no broker, no file): the source's failure
          throw new JobExecutionException(plan.sourceName(), null, describe(e), e);
        }
        reading.add(r);
        return r;
      }

      /** No more batches: the queue's end marker, and the reader closed unless it keeps checkpoints. */
      private void end() {
        ended = true;
        try {
          if (reader != null) {
            reading.remove(reader);
            if (!keepOpen) reader.close();
          }
        } catch (Throwable t) {
          stop.set(true);
          inFlight.put(index, CompletableFuture.failedFuture(named(t)));
        } finally {
          inFlight.endPartition(index);
        }
      }

      /** A read failure named after the source and, unless it is already named, the partition. */
      Throwable named(Throwable t) {
        if (t instanceof JobExecutionException || t instanceof Error) return t;
        return new JobExecutionException(plan.sourceName(), partition.description(), describe(t), t);
      }
    }
  }

  /** Closes what a future produced, waiting for it; its failure, if any, is not the one reported. */
  private static void discard(Future<Output> f) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          Output out = f.get();
          if (out != null && out.batch() != null) out.batch().close();
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (Exception ignored) {
          return; // the first failure is the one reported
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /**
   * The reader's next input, or null once a stop was requested: then, unless the reader was at
   * its end anyway, the input was cut short. A reader told to stop while waiting returns null.
   */
  private static BatchReader.Undecoded nextUnlessStopping(BatchReader r, AtomicBoolean stopping,
                                                         AtomicBoolean cutShort) throws Exception {
    if (stopping.get()) {
      cutShort.set(true);
      return null;
    }
    BatchReader.Undecoded input = r.nextUndecoded();
    if (input == null && stopping.get()) cutShort.set(true);
    return input;
  }

  /** A failure's message, with what to do when it is the job's memory limit. */
  private String describe(Throwable e) {
    if (e instanceof OutOfMemoryException) {
      return "out of Arrow memory (" + e.getMessage() + "); the job's memory limit is "
          + allocator.getLimit() + " bytes: raise it (sabot run --memory) or lower batch_size";
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  private Output process(String pipelineName, FusedPipeline.Worker w, VectorSchemaRoot batch,
                         OutputLayout output, Sink.BatchEncoder encoder,
                         LiveReferences.Pinned pinned, Delivery delivery) {
    try {
      VectorSchemaRoot out = pinned == null ? w.process(batch, allocator, output)
          : w.process(batch, allocator, output, pinned.tables(), pinned.views());
      return new Output(out, w.lastRowCount(), delivery, encode(encoder, out));
    } catch (OutOfMemoryException e) {
      throw new JobExecutionException(pipelineName, null, describe(e), e);
    } finally {
      batch.close();
      if (pinned != null) pinned.release();
    }
  }

  /**
   * The sink's bytes for an output batch, made here on the worker; null when there is no encoder,
   * or it failed (the sink then encodes in write on the consumer, and reports the failure there,
   * named as a sink failure).
   */
  private static Object encode(Sink.BatchEncoder encoder, VectorSchemaRoot out) {
    if (encoder == null || out == null) return null;
    try {
      return encoder.encode(out);
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  /** Closes the readers kept open for deliveries; the first failure wins. */
  private static Throwable closeAll(List<BatchReader> readers, Throwable failure) {
    for (BatchReader r : readers) {
      try {
        r.close();
      } catch (Exception e) {
        if (failure == null) failure = e;
      }
    }
    return failure;
  }
}
