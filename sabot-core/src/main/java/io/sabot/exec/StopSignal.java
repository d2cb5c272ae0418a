package io.sabot.exec;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Asks a running job to stop cleanly (Ctrl-C, SIGTERM, a test): its sources stop reading, the
 * batches already read are enriched and written, the sinks make what they wrote durable, the
 * sources commit the positions of exactly those rows, and the job returns a summary marked
 * stopped. Thread-safe; {@link #request} may come from any thread, once or many times.
 */
public final class StopSignal {
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean requested;

  public void request() {
    requested = true;
    for (Runnable r : listeners) r.run();
  }

  public boolean isRequested() {
    return requested;
  }

  /** Runs {@code listener} on a request (at once when one came already); undone by the handle. */
  AutoCloseable onRequest(Runnable listener) {
    listeners.add(listener);
    if (requested) listener.run();
    return () -> listeners.remove(listener);
  }
}
