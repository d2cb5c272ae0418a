package io.sabot.exec;

/** Waiting for the executor's helper threads. */
final class Threads {
  private Threads() {}

  /**
   * Waits for {@code thread} to end even when interrupted meanwhile (a stop), keeping the
   * interrupt for the caller: what the thread holds must be released before the caller goes on.
   */
  static void joinUninterruptibly(Thread thread) {
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
