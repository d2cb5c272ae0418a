package io.sabot.exec;

import io.sabot.connect.Threads;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The thread that keeps one live table current when the join sets {@code reference_refresh_ms}:
 * once every interval it runs a refresh (take the changes that arrived, apply them, publish a
 * version), so that the stream's reader only pins the version published last and never waits
 * for the changelog (a Kafka round trip per look, a rebuild when one is due).
 *
 * <pre>
 *   refresher:  wait N ms ─► refresh (holding the table's lock) ─► wait N ms ─► refresh ─► ...
 *   reader:     pin (the latest version) ─► pin ─► pin ─► ...   (rethrows the refresher's failure)
 *   stats: take the table's lock (a fair one: a refresh that takes longer than N ms does not
 *          keep them out), so they never meet a refresh half done
 *   the stream's end: stop (a refresh under way is finished), then the summary; a failure of the
 *          refresher is rethrown there too
 * </pre>
 *
 * The first refresh comes one interval after the start: the table was just built from the
 * changelog read to its end.
 */
final class LiveRefresher implements AutoCloseable {
  /** One refresh; it may throw, and then the refresher stops and keeps the failure. */
  interface Refresh {
    void run() throws Exception;
  }

  private final Thread thread;
  private final long intervalNanos;
  private final ReentrantLock lock;
  private final Refresh refresh;
  private volatile boolean stopping;
  private volatile Throwable failure;
  /** The thread's CPU time as of its last refresh (-1: the JVM does not measure it). */
  private volatile long cpuNanos = -1;

  private LiveRefresher(String name, long intervalNanos, ReentrantLock lock, Refresh refresh) {
    this.intervalNanos = intervalNanos;
    this.lock = lock;
    this.refresh = refresh;
    this.thread = new Thread(this::loop, name);
    this.thread.setDaemon(true);
  }

  /** Starts refreshing every {@code intervalMillis}, each refresh holding {@code lock}. */
  static LiveRefresher start(String name, long intervalMillis, ReentrantLock lock,
                             Refresh refresh) {
    LiveRefresher r = new LiveRefresher(name, intervalMillis * 1_000_000L, lock, refresh);
    r.thread.start();
    return r;
  }

  private void loop() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    boolean measured = threads.isCurrentThreadCpuTimeSupported();
    long next = System.nanoTime() + intervalNanos;
    try {
      while (!stopping) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(this, wait); // close() unparks
          continue;
        }
        next = System.nanoTime() + intervalNanos;
        lock.lock();
        try {
          if (stopping) return;
          refresh.run();
          if (measured) cpuNanos = threads.getCurrentThreadCpuTime();
        } finally {
          lock.unlock();
        }
      }
    } catch (Throwable t) {
      failure = t;
    }
  }

  /**
   * On the stream's reader thread: throws what stopped the refresher (the changelog could not be
   * read, a table could not be built), so the job fails as it would had the reader refreshed.
   */
  void check() throws Exception {
    Throwable t = failure;
    if (t == null) return;
    if (t instanceof Exception e) throw e;
    if (t instanceof Error e) throw e;
    throw new IllegalStateException(t);
  }

  /**
   * The CPU time the thread has taken, as of its last refresh (its waits take none); -1 when the
   * JVM does not measure a thread's CPU time.
   */
  long cpuNanos() {
    return cpuNanos;
  }

  /** Stops the thread and waits for it (a refresh under way is finished, not cut). */
  @Override
  public void close() {
    stopping = true;
    LockSupport.unpark(thread);
    Threads.joinUninterruptibly(thread);
  }
}
