package io.sabot.connect;

/** Waiting for helper threads: the executor's and the connectors'. */
public final class Threads {
  private Threads() {}

  /**
   * Waits for {@code thread} to end even when interrupted meanwhile (a stop), keeping the
   * interrupt for the caller: what the thread holds must be released before the caller goes on.
   */
  public static void joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }
}
