package io.sabot.exec;

import io.sabot.error.JobExecutionException;

/**
 * Closes what a job run opened (live feeds, reference tables, dead-letter files) after it ends,
 * whatever fails: every resource is closed; the first close failure is kept and the later ones
 * are added to it as suppressed. If the job itself already failed, that failure is what the caller
 * sees: the close failures are suppressed on it and {@link #finish()} throws nothing.
 *
 * <pre>
 *   job ok,     close b fails, close c fails  ─► throws b's failure, c's suppressed on it
 *   job failed, close b fails                 ─► the job's failure (thrown by the caller), b's suppressed on it
 * </pre>
 */
final class Closer {
  private final Throwable jobFailure;
  private Throwable first;

  /** {@code jobFailure}: what the job is already throwing, or null when it succeeded. */
  Closer(Throwable jobFailure) {
    this.jobFailure = jobFailure;
  }

  /** Closes {@code resource}; a failure is kept, named after {@code what}, and never thrown here. */
  void close(String what, AutoCloseable resource) {
    try {
      resource.close();
    } catch (Throwable t) {
      if (t == jobFailure || t == first) return; // already on its way to the caller
      Throwable failure = t instanceof Exception
          ? new JobExecutionException(what, null, "cannot close: " + t, t) : t;
      if (jobFailure != null) {
        jobFailure.addSuppressed(failure);
      } else if (first == null) {
        first = failure;
      } else {
        first.addSuppressed(failure);
      }
    }
  }

  /** Throws the first close failure (the rest suppressed on it) unless the job already failed. */
  void finish() {
    if (first instanceof RuntimeException) throw (RuntimeException) first;
    if (first instanceof Error) throw (Error) first;
  }
}
