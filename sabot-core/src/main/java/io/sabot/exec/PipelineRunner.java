package io.sabot.exec;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ReadContext;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Runs one pipeline (its reference tables already attached) from its source to a consumer:
 *
 * <pre>
 *  reader thread(s) ──batch──► worker pool (fused pipeline) ──future──► bounded queues ──► consumer
 *  (decode; one per partition                                     (one per partition, taken in
 *   at a time, up to threads)                                      partition order: OrderedQueues)
 * </pre>
 *
 * Futures are consumed in the order batches were read, so output order equals input order. A
 * source of several partitions (the files of a folder) is decoded by up to {@code threads}
 * readers at once, each partition by one of them; the consumer still takes partition 0's
 * batches, then partition 1's, and so on. The queue holds at most {@code 2 x threads} batches in flight: memory stays
 * bounded whatever the input size. Every batch is closed by its last owner, also on failure.
 *
 * <p>A {@link StopSignal} ends the input early: the reader reads no further batch (a reader
 * waiting for records is told to {@link BatchReader#stop}), every batch already read is processed
 * and consumed as usual, and the consumer learns that the input did not end by itself.
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

  private final ExecutorService workers;
  private final int threads;
  private final BufferAllocator allocator;
  private final StopSignal stopSignal;

  BufferAllocator allocator() {
    return allocator;
  }

  PipelineRunner(ExecutorService workers, int threads, BufferAllocator allocator,
                 StopSignal stopSignal) {
    this.workers = workers;
    this.threads = threads;
    this.allocator = allocator;
    this.stopSignal = stopSignal;
  }

  /** Reads the whole source through the pipeline; false when a stop ended it early. */
  boolean run(PipelinePlan plan, DeadLetters rejects, LongAdder rowsRead, boolean buildOutput,
              BatchConsumer consumer) throws Exception {
    return run(plan, rejects, rowsRead, buildOutput, null, null, consumer);
  }

  /**
   * As above; with {@code live} (null: none), each batch probes the reference table versions
   * pinned for it on its reader thread, after the changes published so far were applied.
   */
  boolean run(PipelinePlan plan, DeadLetters rejects, LongAdder rowsRead, boolean buildOutput,
              LiveReferences live, String resumeFrom, BatchConsumer consumer) throws Exception {
    return run(plan, rejects, rowsRead, buildOutput ? OutputLayout.plain() : null, live, resumeFrom,
        null, consumer);
  }

  /**
   * As above; output batches are built in {@code output} (null: none, only rows counted), and
   * with an {@code encoder} (null: none), each output batch is also encoded on the worker that
   * built it, so the consumer (the sink) only appends the bytes.
   */
  boolean run(PipelinePlan plan, DeadLetters rejects, LongAdder rowsRead, OutputLayout output,
              LiveReferences live, String resumeFrom, Sink.BatchEncoder encoder,
              BatchConsumer consumer) throws Exception {
    return new Run(plan, rejects, rowsRead, output, live, resumeFrom, encoder).consume(consumer);
  }

  /** The state of one run: its readers, the queues between them and the consumer. */
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
    private final int readerCount;
    /** Readers that gave checkpoints stay open until their last batch is durable. */
    private final List<BatchReader> positioned = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<FusedPipeline.Worker> idle = new ConcurrentLinkedQueue<>();
    private final OrderedQueues<Future<Output>> inFlight;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean cutShort = new AtomicBoolean();
    private final Set<BatchReader> reading = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextPartition = new AtomicInteger();
    private final AtomicInteger readersLeft;
    private final List<Thread> readers = new ArrayList<>();

    Run(PipelinePlan plan, DeadLetters rejects, LongAdder rowsRead, OutputLayout output,
        LiveReferences live, String resumeFrom, Sink.BatchEncoder encoder) {
      this.encoder = encoder;
      this.plan = plan;
      this.rowsRead = rowsRead;
      this.output = output;
      this.live = live;
      this.pipeline = plan.pipeline();
      this.context = new ReadContext(allocator, plan.readColumns(), plan.batchSize(), rejects,
          resumeFrom);
      this.partitions = plan.source().partitions();
      // One reader per partition at a time, up to one per worker: a folder of files decodes on
      // every core. Each partition is read in order by one thread and the consumer takes the
      // partitions in order, so the output is in the order a single reader would give.
      this.readerCount = Math.max(1, Math.min(threads, partitions.size()));
      this.readersLeft = new AtomicInteger(readerCount);
      this.inFlight = new OrderedQueues<>(partitions.size(),
          Math.max(2, (2 * threads + 1) / readerCount));
    }

    /** Starts the readers and hands every output batch to {@code consumer}, in order. */
    boolean consume(BatchConsumer consumer) throws Exception {
      for (int k = 0; k < readerCount; k++) {
        Thread reader = new Thread(this::readPartitions, "sabot-reader-" + plan.sourceName()
            + (readerCount == 1 ? "" : "-" + k));
        reader.setDaemon(true);
        readers.add(reader);
      }
      AutoCloseable stopListener = stopSignal.onRequest(() -> {
        stopping.set(true);
        for (BatchReader r : reading) r.stop();
      });
      readers.forEach(Thread::start);

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
      for (Thread reader : readers) reader.join();
      stopListener.close();
      failure = closeAll(positioned, failure);
      if (failure instanceof Exception) throw (Exception) failure;
      if (failure instanceof Error) throw (Error) failure;
      return !cutShort.get();
    }

    /** After a failure: the readers stop, and every batch still on its way is closed. */
    private void abandon() {
      stop.set(true);
      readers.forEach(Thread::interrupt); // a reader blocked waiting for new records (a topic)
      inFlight.drain(() -> readers.stream().anyMatch(Thread::isAlive), PipelineRunner::discard);
    }

    /** A reader thread: claims partitions one at a time until none is left or the run stops. */
    private void readPartitions() {
      try {
        int i;
        while ((i = nextPartition.getAndIncrement()) < partitions.size()) {
          boolean goOn;
          try {
            goOn = readPartition(partitions.get(i), i);
          } catch (Throwable t) {
            stop.set(true); // the other readers read no further
            inFlight.put(i, CompletableFuture.failedFuture(t));
            goOn = false;
          } finally {
            inFlight.endPartition(i);
          }
          if (!goOn) break;
        }
      } finally {
        if (readersLeft.decrementAndGet() == 0) {
          inFlight.endAll(Math.min(nextPartition.get(), partitions.size()));
        }
      }
    }

    /** Reads one partition into its queue; false when the run stops (or was cut short). */
    private boolean readPartition(SourcePartition partition, int index) throws Exception {
      if (stopping.get()) {
        cutShort.set(true);
        return false;
      }
      if (stop.get()) return false;
      BatchReader r;
      try {
        r = partition.open(context);
      } catch (java.io.IOException e) {
        // opening failed before any record (no broker, no file): the source's failure
        throw new JobExecutionException(plan.sourceName(), null, describe(e), e);
      }
      reading.add(r);
      boolean keepOpen = false;
      try {
        VectorSchemaRoot batch;
        while (!stop.get() && (batch = nextUnlessStopping(r, stopping, cutShort)) != null) {
          rowsRead.add(batch.getRowCount());
          VectorSchemaRoot owned = batch;
          Delivery delivery = new Delivery(r.checkpoint(), r);
          if (delivery.checkpoint() != null && !keepOpen) {
            keepOpen = true;
            positioned.add(r);
          }
          LiveReferences.Pinned pinned;
          try {
            pinned = live == null ? null : live.pin();
          } catch (Throwable t) {
            owned.close();
            throw t;
          }
          // put even if interrupted: every submitted batch must reach the consumer or drain
          inFlight.put(index, workers.submit(() -> process(plan.sourceName(), pipeline, idle,
              owned, output, encoder, pinned, delivery)));
        }
      } catch (JobExecutionException e) {
        throw e;
      } catch (Exception e) {
        throw new JobExecutionException(plan.sourceName(), partition.description(), describe(e), e);
      } finally {
        reading.remove(r);
        if (!keepOpen) r.close();
      }
      return !stop.get() && !cutShort.get();
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
   * The reader's next batch, or null once a stop was requested: then, unless the reader was at
   * its end anyway, the input was cut short. A reader told to stop while waiting returns null.
   */
  private static VectorSchemaRoot nextUnlessStopping(BatchReader r, AtomicBoolean stopping,
                                                     AtomicBoolean cutShort) throws Exception {
    if (stopping.get()) {
      cutShort.set(true);
      return null;
    }
    VectorSchemaRoot batch = r.next();
    if (batch == null && stopping.get()) cutShort.set(true);
    return batch;
  }

  /** A failure's message, with what to do when it is the job's memory limit. */
  private String describe(Throwable e) {
    if (e instanceof OutOfMemoryException) {
      return "out of Arrow memory (" + e.getMessage() + "); the job's memory limit is "
          + allocator.getLimit() + " bytes: raise it (sabot run --memory) or lower batch_size";
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  private Output process(String pipelineName, FusedPipeline pipeline,
                         ConcurrentLinkedQueue<FusedPipeline.Worker> idle, VectorSchemaRoot batch,
                         OutputLayout output, Sink.BatchEncoder encoder,
                         LiveReferences.Pinned pinned, Delivery delivery) {
    FusedPipeline.Worker w = idle.poll();
    if (w == null) w = pipeline.newWorker();
    try {
      VectorSchemaRoot out = pinned == null ? w.process(batch, allocator, output)
          : w.process(batch, allocator, output, pinned.tables());
      return new Output(out, w.lastRowCount(), delivery, encode(encoder, out));
    } catch (OutOfMemoryException e) {
      throw new JobExecutionException(pipelineName, null, describe(e), e);
    } finally {
      batch.close();
      idle.offer(w);
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
