package io.sabot.exec;

import io.sabot.connect.Sink;
import io.sabot.connect.Threads;
import java.io.IOException;

/**
 * A sink's {@link Sink#prepare()} on a thread of its own while the job's reference tables are
 * built (connecting a Kafka producer, making sure its topic exists: time the first row would
 * otherwise wait for after the tables), then {@link #await()} before the sink opens; or
 * {@link #abandon(Throwable)}, which closes the sink, when the job stops or fails before.
 */
final class SinkPreparation {
  private final Sink sink;
  private final Thread thread;
  private volatile Throwable failure;
  /** The sink holds something its close releases (or its preparation failed half way). */
  private volatile boolean holds;
  /** Guarded by this: the preparation returned; the job ended before the sink opened. */
  private boolean done;
  private boolean abandoned;

  private SinkPreparation(Sink sink, String sinkName) {
    this.sink = sink;
    this.thread = new Thread(this::prepare, "sabot-prepare-" + sinkName);
    this.thread.setDaemon(true);
  }

  static SinkPreparation start(Sink sink, String sinkName) {
    SinkPreparation p = new SinkPreparation(sink, sinkName);
    p.thread.start();
    return p;
  }

  private void prepare() {
    try {
      holds = sink.prepare();
    } catch (Throwable t) {
      holds = true;
      failure = t;
    }
    synchronized (this) {
      done = true;
      if (abandoned) closeSink(null);
    }
  }

  /** Waits for the preparation; its failure, as the sink's (an IOException, or as it was). */
  void await() throws IOException {
    Threads.joinUninterruptibly(thread); // a stop: the preparation ends within the sink's timeouts
    Throwable t = failure;
    if (t == null) return;
    if (t instanceof IOException) throw (IOException) t;
    if (t instanceof RuntimeException) throw (RuntimeException) t;
    if (t instanceof Error) throw (Error) t;
    throw new IOException(t);
  }

  /**
   * The job ends before the sink opens: the sink is closed when it holds something (a sink that
   * prepared nothing stays as it was: unopened, its file untouched), now if its preparation is
   * done, else by the preparation's thread when it is (a preparation waiting for an unreachable
   * broker does not hold up the job's failure or stop).
   */
  synchronized void abandon(Throwable cause) {
    abandoned = true;
    if (done) closeSink(cause);
  }

  /** Closes the sink when it holds something; its failures, and the preparation's, suppressed. */
  private void closeSink(Throwable cause) {
    if (cause != null && failure != null && failure != cause) cause.addSuppressed(failure);
    if (!holds) return;
    try {
      sink.close();
    } catch (IOException | RuntimeException e) {
      if (cause != null) cause.addSuppressed(e);
    }
  }

}
