package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sabot.exec.ExecutionOptions;
import io.sabot.exec.JobManager;
import io.sabot.exec.JobSummary;
import io.sabot.exec.StopSignal;
import io.sabot.graph.JobFile;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/** A job file run on 2 threads on a thread of its own until {@link #stop()} asks it to stop. */
final class StoppableJob {
  private final StopSignal stop = new StopSignal();
  private final AtomicReference<JobSummary> summary = new AtomicReference<>();
  private final AtomicReference<Throwable> failed = new AtomicReference<>();
  private final Thread thread;

  private StoppableJob(Path job, String name) {
    thread = new Thread(() -> {
      try {
        summary.set(new JobManager(ExecutionOptions.defaults().withThreads(2).withStop(stop))
            .submitJob(JobFile.load(job)).summary());
      } catch (Throwable t) {
        failed.set(t);
      }
    }, name);
  }

  static StoppableJob start(Path job, String name) {
    StoppableJob j = new StoppableJob(job, name);
    j.thread.start();
    return j;
  }

  /** Asks the job to stop and waits for it, at most 60 s. */
  void stop() throws InterruptedException {
    stop.request();
    thread.join(60_000);
  }

  /** The summary of a job that stopped when asked, without failing. */
  JobSummary summary() {
    assertFalse(thread.isAlive(), "the job did not stop when asked");
    assertNull(failed.get(), () -> "the job failed: " + failed.get());
    return summary.get();
  }
}
