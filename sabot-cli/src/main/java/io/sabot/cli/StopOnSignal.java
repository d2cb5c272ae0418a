package io.sabot.cli;

import io.sabot.exec.StopSignal;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT (Ctrl-C) and SIGTERM into a clean stop of the running job: the first asks the job
 * to stop ({@link StopSignal}: no further batch is read, what was read is written and made
 * durable, positions of exactly those rows are committed, the summary says "stopped"); a second
 * one exits at once. A shutdown hook cannot do this: the JVM ignores further signals once it is
 * shutting down, and a hook cannot choose the exit code.
 */
final class StopOnSignal implements AutoCloseable {
  private static final List<String> SIGNALS = List.of("INT", "TERM");

  private final StopSignal stop;
  private final PrintWriter err;
  private final AtomicReference<String> received = new AtomicReference<>();
  private final List<Signal> installed = new ArrayList<>();
  private final List<SignalHandler> previous = new ArrayList<>();

  private StopOnSignal(StopSignal stop, PrintWriter err) {
    this.stop = stop;
    this.err = err;
  }

  /** Handles SIGINT and SIGTERM until closed. */
  static StopOnSignal install(StopSignal stop, PrintWriter err) {
    StopOnSignal s = new StopOnSignal(stop, err);
    for (String name : SIGNALS) {
      Signal signal = new Signal(name);
      try {
        s.previous.add(Signal.handle(signal, s::onSignal));
        s.installed.add(signal);
      } catch (IllegalArgumentException e) {
        // the JVM does not own it (started with it ignored, or -Xrs): it cannot stop the job then
      }
    }
    return s;
  }

  private void onSignal(Signal signal) {
    if (received.compareAndSet(null, signal.getName())) {
      err.println("sabot: SIG" + signal.getName() + " received: stopping the job (no further "
          + "input is read; the rows already read are written and made durable). Press Ctrl-C "
          + "again to exit at once.");
      err.flush();
      stop.request();
      return;
    }
    err.println("sabot: SIG" + signal.getName() + " again: exiting at once; rows not yet durable "
        + "are not kept, and their input is read again by the next run");
    err.flush();
    Runtime.getRuntime().halt(exitCode(signal.getName()));
  }

  /** 128 + the signal's number, as a shell reports a process ended by it; 0 when none came. */
  int exitCode() {
    String name = received.get();
    return name == null ? 0 : exitCode(name);
  }

  private static int exitCode(String signal) {
    return signal.equals("INT") ? 130 : 143;
  }

  @Override
  public void close() {
    for (int i = 0; i < installed.size(); i++) Signal.handle(installed.get(i), previous.get(i));
  }
}
