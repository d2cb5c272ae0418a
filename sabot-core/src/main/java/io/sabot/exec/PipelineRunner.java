package io.sabot.exec;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ReadContext;
import io.sabot.connect.SourcePartition;
import io.sabot.error.JobExecutionException;
import io.sabot.physical.FusedPipeline;
import io.sabot.plan.PipelinePlan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Runs one pipeline (its reference tables already attached) from its source to a consumer:
 *
 * <pre>
 *  reader thread ──batch──► worker pool (fused pipeline) ──future──► bounded queue ──► consumer
 *  (decodes, in partition order)                                   (in submission order)
 * </pre>
 *
 * Futures are consumed in the order batches were read, so output order equals input order within
 * each partition. The queue holds at most {@code 2 x threads} batches in flight: memory stays
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

  private record Output(VectorSchemaRoot batch, int rows, Delivery delivery) {}

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
   * pinned for it on the reader thread, after the changes published so far were applied.
   */
  boolean run(PipelinePlan plan, DeadLetters rejects, LongAdder rowsRead, boolean buildOutput,
              LiveReferences live, String resumeFrom, BatchConsumer consumer) throws Exception {
    FusedPipeline pipeline = plan.pipeline();
    // Readers that gave checkpoints stay open until their last batch is durable.
    List<BatchReader> positioned = Collections.synchronizedList(new ArrayList<>());
    ConcurrentLinkedQueue<FusedPipeline.Worker> idle = new ConcurrentLinkedQueue<>();
    BlockingQueue<Future<Output>> inFlight = new ArrayBlockingQueue<>(2 * threads + 1);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicBoolean stopping = new AtomicBoolean();
    AtomicBoolean cutShort = new AtomicBoolean();
    AtomicReference<BatchReader> reading = new AtomicReference<>();
    ReadContext context = new ReadContext(allocator, plan.readColumns(), plan.batchSize(), rejects,
        resumeFrom);

    Thread reader = new Thread(() -> {
      try {
        for (SourcePartition partition : plan.source().partitions()) {
          if (stopping.get()) {
            cutShort.set(true);
            break;
          }
          BatchReader r = partition.open(context);
          reading.set(r);
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
              putQuietly(inFlight, workers.submit(() -> process(plan.sourceName(), pipeline, idle,
                  owned, buildOutput, pinned, delivery)));
            }
          } catch (JobExecutionException e) {
            throw e;
          } catch (Exception e) {
            throw new JobExecutionException(plan.sourceName(), partition.description(),
                describe(e), e);
          } finally {
            reading.set(null);
            if (!keepOpen) r.close();
          }
          if (stop.get() || cutShort.get()) break;
        }
        putQuietly(inFlight, END);
      } catch (Throwable t) {
        // an IOException outside a partition (listing them) is the source's failure too
        Throwable named = t instanceof java.io.IOException
            ? new JobExecutionException(plan.sourceName(), null, describe(t), t) : t;
        putQuietly(inFlight, CompletableFuture.failedFuture(named));
        putQuietly(inFlight, END);
      }
    }, "sabot-reader-" + plan.sourceName());
    reader.setDaemon(true);
    AutoCloseable stopListener = stopSignal.onRequest(() -> {
      stopping.set(true);
      BatchReader r = reading.get();
      if (r != null) r.stop();
    });
    reader.start();

    Throwable failure = null;
    try {
      while (true) {
        Future<Output> f = inFlight.poll(IDLE_MS, TimeUnit.MILLISECONDS);
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
        if (failure != null) {
          if (out.batch() != null) out.batch().close();
          continue;
        }
        try {
          consumer.accept(out.batch(), out.rows(), out.delivery());
        } catch (Throwable t) {
          failure = t;
          stop.set(true);
          reader.interrupt(); // a reader blocked waiting for new records (an unbounded topic)
          drain(inFlight, reader);
          break;
        }
      }
      if (failure == null) consumer.endOfInput(!cutShort.get());
    } catch (Throwable t) {
      if (failure == null) failure = t;
      stop.set(true);
      reader.interrupt();
      drain(inFlight, reader);
    }
    reader.join();
    stopListener.close();
    failure = closeAll(positioned, failure);
    if (failure instanceof Exception) throw (Exception) failure;
    if (failure instanceof Error) throw (Error) failure;
    return !cutShort.get();
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
                         boolean buildOutput, LiveReferences.Pinned pinned, Delivery delivery) {
    FusedPipeline.Worker w = idle.poll();
    if (w == null) w = pipeline.newWorker();
    try {
      VectorSchemaRoot out = pinned == null ? w.process(batch, allocator, buildOutput)
          : w.process(batch, allocator, buildOutput, pinned.tables());
      return new Output(out, w.lastRowCount(), delivery);
    } catch (OutOfMemoryException e) {
      throw new JobExecutionException(pipelineName, null, describe(e), e);
    } finally {
      batch.close();
      idle.offer(w);
      if (pinned != null) pinned.release();
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

  /**
   * After a failure: take every remaining future up to END (or until the reader thread is gone:
   * interrupted, it may not have queued END) and close what it produced.
   */
  private static void drain(BlockingQueue<Future<Output>> inFlight, Thread reader) {
    // interrupted or not, every future is taken: the reader may be waiting for room to put one
    boolean interrupted = false;
    try {
      while (true) {
        Future<Output> f;
        try {
          f = inFlight.poll(50, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
          continue;
        }
        if (f == null) {
          if (!reader.isAlive() && inFlight.isEmpty()) return;
          continue;
        }
        if (f == END) return;
        while (true) {
          try {
            Output out = f.get();
            if (out != null && out.batch() != null) out.batch().close();
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          } catch (Exception ignored) {
            break; // the first failure is the one reported
          }
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /**
   * Puts even when this thread is interrupted to stop, before or while waiting for room (keeping
   * the interrupt status): a dropped future would leave its task's batches unclosed and its
   * pinned versions unreleased. Room always comes: the consumer, or drain, takes every future.
   */
  private static void putQuietly(BlockingQueue<Future<Output>> q, Future<Output> f) {
    boolean interrupted = Thread.interrupted();
    try {
      while (true) {
        try {
          q.put(f);
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }
}
