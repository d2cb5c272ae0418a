package io.sabot.cluster;

import io.sabot.graph.JobGraph;
import java.util.List;
import java.util.Optional;

/**
 * The jobs of a cluster of agents, coordinated through Kafka (issue 11; DESIGN.md, "Kafka is the
 * cluster"): a submitted job is validated and optimized here, then published, as JSON, to the
 * compacted control topic {@value #CONTROL_TOPIC} (key: the job id); cancelling publishes a
 * tombstone. Agents watch that topic and run every job on it.
 *
 * <pre>{@code
 * try (JobCluster cluster = JobManager.connect("127.0.0.1:9092")) {
 *   ClusterJob job = cluster.submit(graph);     // InvalidJobException: refused, never published
 *   cluster.jobs().forEach(System.out::println);
 *   cluster.cancel(job.id());
 * }
 * }</pre>
 */
public interface JobCluster extends AutoCloseable {
  /** The compacted topic holding the submitted jobs. */
  String CONTROL_TOPIC = "sabot.jobs";

  /** The compacted topic where agents report on each job (key: job id and agent). */
  String STATUS_TOPIC = "sabot.status";

  /**
   * Validates and optimizes {@code graph} as {@code sabot run} would, checks that it can run on
   * agents, and publishes it.
   *
   * @throws io.sabot.error.InvalidJobException with every problem, when the job is wrong or
   *     cannot be distributed; nothing is published then
   */
  ClusterJob submit(JobGraph graph);

  /**
   * Every job on the control topic (submitted and not cancelled), in submission order, with
   * what each agent last reported about it.
   */
  List<ClusterJob> jobs();

  /** The job with this id, unless it was never submitted or was cancelled. */
  Optional<ClusterJob> status(String id);

  /**
   * Waits until a bounded job has finished on every partition: its consumer group has committed
   * up to the end the stream had when the wait began, and no agent reports it running (an agent
   * silent for several seconds, killed, counts as gone: its partitions have moved). Returns
   * the job with every agent's last report (a failed agent among them: the job's partitions
   * moved to the others).
   *
   * @throws IllegalArgumentException when the job is not on the control topic, or reads a stream
   *     that never ends ({@code bounded: false})
   * @throws java.util.concurrent.TimeoutException when {@code timeout} passes first
   */
  ClusterJob awaitFinished(String id, java.time.Duration timeout)
      throws java.util.concurrent.TimeoutException, InterruptedException;

  /**
   * {@link #awaitFinished} as a future, waited for on a thread of its own: it completes with the
   * job once it has finished on every partition, or exceptionally (a
   * {@link java.util.concurrent.TimeoutException} once {@code timeout} has passed, an
   * IllegalArgumentException for a job that is not there or never ends). The cluster must stay
   * open until it completes.
   */
  default java.util.concurrent.CompletableFuture<ClusterJob> finished(String id,
                                                                     java.time.Duration timeout) {
    java.util.concurrent.CompletableFuture<ClusterJob> done =
        new java.util.concurrent.CompletableFuture<>();
    Thread waiter = new Thread(() -> {
      try {
        done.complete(awaitFinished(id, timeout));
      } catch (Exception | Error e) {
        done.completeExceptionally(e);
      }
    }, "sabot-await-" + id);
    waiter.setDaemon(true);
    waiter.start();
    return done;
  }

  /** Cancels the job (agents stop it); false when no such job is on the control topic. */
  boolean cancel(String id);

  @Override
  void close();
}
