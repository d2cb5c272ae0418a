package io.sabot.kafka;

import io.sabot.cluster.AgentReport;
import io.sabot.cluster.ClusterJob;
import io.sabot.cluster.JobCluster;
import io.sabot.exec.AgentSummaries;
import io.sabot.exec.ExecutionOptions;
import io.sabot.exec.JobManager;
import io.sabot.exec.JobSummary;
import io.sabot.exec.OperatorSummary;
import io.sabot.exec.StopSignal;
import io.sabot.graph.JobGraph;
import io.sabot.graph.SinkSpec;
import io.sabot.graph.SourceSpec;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.plan.PhysicalPlan;
import io.sabot.plan.SinkPlan;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;

/**
 * An agent: a process that runs every job on the control topic, sharing each job's stream with
 * the other agents through the job's consumer group (DESIGN.md, "Kafka is the cluster").
 *
 * <pre>
 *   control topic sabot.jobs ──(read from the start, then follow)──► job id ─► new? start it
 *                                                                   tombstone ─► stop it
 *   a job here: its stream sources read with assignment: group (Kafka assigns this agent its
 *   share of the partitions and moves them when an agent joins, leaves or dies); its reference
 *   tables are read whole by every agent; its sinks write as under sabot run
 * </pre>
 *
 * A stop ({@link #run}'s signal: SIGTERM, Ctrl-C) stops every job as {@code sabot run} stops:
 * batches already read are written, their offsets committed, and the agent leaves each group,
 * so the other agents take its partitions over.
 */
public final class Agent {
  private static final Duration POLL = Duration.ofMillis(200);
  /** Before a job fenced by its group runs again. */
  private static final long RERUN_PAUSE_MS = 1_000;
  private final String bootstrap;
  private final String id;
  private final int threads;
  private final String controlTopic;
  private final Path dataDir;
  private final int metricsPort;
  /** Kafka client settings from the agent's --config (security.*, sasl.*, ssl.*): never a job's. */
  private final Map<String, String> connection;
  private final PrintStream log;
  private DataDirectory data;
  private AgentMetrics metrics;
  private final Map<String, RunningJob> jobs = new LinkedHashMap<>();
  private ControlTopic status;

  /** A job running on this agent: its thread and what stops it. */
  private record RunningJob(Thread thread, StopSignal stop) {}

  /**
   * @param dataDir the only folder its jobs may read or write files in ({@link DataDirectory});
   *                relative paths of a job are taken there
   */
  public Agent(String bootstrap, String id, int threads, Path dataDir, int metricsPort,
               Map<String, String> connection, PrintStream log) {
    this(bootstrap, id, threads, JobCluster.CONTROL_TOPIC, dataDir, metricsPort, connection, log);
  }

  /**
   * {@code metricsPort} -1: no metrics served; {@code connection}: the Kafka client settings of
   * every client this agent and its jobs make (how to authenticate), from its --config.
   */
  Agent(String bootstrap, String id, int threads, String controlTopic, Path dataDir,
        int metricsPort, Map<String, String> connection, PrintStream log) {
    this.bootstrap = bootstrap;
    this.id = id;
    this.threads = threads;
    this.controlTopic = controlTopic;
    this.dataDir = dataDir;
    this.metricsPort = metricsPort;
    this.connection = Map.copyOf(connection);
    this.log = log;
  }

  /** The settings of a Kafka client properties file ({@code sabot agent --config FILE}). */
  public static Map<String, String> readConfig(Path file) throws IOException {
    java.util.Properties p = new java.util.Properties();
    try (java.io.Reader in = java.nio.file.Files.newBufferedReader(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new IOException("cannot read --config=" + file + " (a Kafka client properties file): "
          + e, e);
    }
    Map<String, String> out = new java.util.TreeMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).trim()));
    return out;
  }

  /** Follows the control topic until {@code stop} is requested, then stops every job and waits. */
  public void run(StopSignal stop) throws IOException {
    data = new DataDirectory(dataDir);
    if (metricsPort >= 0) {
      metrics = new AgentMetrics(id, metricsPort);
      log.printf("agent %s: metrics at http://127.0.0.1:%d/metrics%n", id, metrics.port());
    }
    new ControlTopic(bootstrap, controlTopic, KafkaClients.TIMEOUT, connection).ensureTopic();
    status = new ControlTopic(bootstrap, KafkaJobCluster.statusTopicFor(controlTopic),
        KafkaClients.TIMEOUT, connection);
    log.printf("agent %s: watching %s at %s; files under %s%n", id, controlTopic, bootstrap,
        data.root());
    try (KafkaConsumer<byte[], ByteBuffer> consumer = KafkaClients.consumer(bootstrap, null,
        "sabot-agent-" + id, "earliest", connection, new ByteBufferDeserializer())) {
      TopicPartition p = new TopicPartition(controlTopic, 0);
      consumer.assign(List.of(p));
      consumer.seekToBeginning(List.of(p));
      // First the jobs as they are now (a job submitted and since cancelled is not started),
      // then every change as it comes.
      long end = consumer.endOffsets(List.of(p), KafkaClients.TIMEOUT).get(p);
      Map<String, byte[]> current = new LinkedHashMap<>();
      // a poll may return records written after the end was taken: they are changes to follow,
      // in order, once the jobs of the moment run (skipping them would miss a job submitted
      // while this agent starts)
      List<ConsumerRecord<byte[], ByteBuffer>> later = new ArrayList<>();
      while (!stop.isRequested() && consumer.position(p, KafkaClients.TIMEOUT) < end) {
        for (ConsumerRecord<byte[], ByteBuffer> r : consumer.poll(POLL)) {
          if (r.offset() >= end) {
            later.add(r);
            continue;
          }
          String jobId = new String(r.key(), StandardCharsets.UTF_8);
          if (r.value() == null) current.remove(jobId);
          else current.put(jobId, bytes(r.value()));
        }
      }
      current.forEach((jobId, value) -> start(KafkaJobCluster.decode(jobId, value)));
      later.forEach(this::follow);
      while (!stop.isRequested()) {
        for (ConsumerRecord<byte[], ByteBuffer> r : consumer.poll(POLL)) follow(r);
        jobs.values().removeIf(j -> !j.thread().isAlive() && j.stop().isRequested());
      }
    } finally {
      for (RunningJob j : jobs.values()) j.stop().request();
      for (RunningJob j : jobs.values()) join(j.thread());
      status.close();
      if (metrics != null) metrics.close();
      log.printf("agent %s: stopped%n", id);
    }
  }

  /** A change on the control topic: a new job starts here, a tombstone stops one. */
  private void follow(ConsumerRecord<byte[], ByteBuffer> r) {
    String jobId = new String(r.key(), StandardCharsets.UTF_8);
    if (r.value() == null) {
      cancel(jobId);
    } else if (!jobs.containsKey(jobId)) {
      start(KafkaJobCluster.decode(jobId, bytes(r.value())));
    }
  }

  private static byte[] bytes(ByteBuffer value) {
    byte[] b = new byte[value.remaining()];
    value.duplicate().get(b);
    return b;
  }

  private void start(ClusterJob job) {
    StopSignal stop = new StopSignal();
    Thread t = new Thread(() -> runJob(job, stop), "sabot-agent-job-" + job.id());
    t.setDaemon(true);
    jobs.put(job.id(), new RunningJob(t, stop));
    log.printf("agent %s: starting job %s%n", id, job.id());
    t.start();
  }

  private void cancel(String jobId) {
    RunningJob j = jobs.get(jobId);
    if (j == null) return;
    log.printf("agent %s: job %s cancelled%n", id, jobId);
    j.stop().request();
  }

  /**
   * Runs one job to its end, a stop or a failure; a failure is reported and ends only this job,
   * except a transaction fenced by the group (its partitions moved while this agent was paused
   * past the session timeout): then the job runs again, rejoining the group, and goes on from
   * the committed offsets, as Kafka Streams does with a migrated task.
   */
  private void runJob(ClusterJob job, StopSignal stop) {
    report(job.id(), new AgentReport(id, "running", 0, 0, "", Instant.now()), List.of());
    JobGraph graph;
    try {
      graph = KafkaJobCluster.graphOf(job);
      graph.setBaseDirectory(data.root());
      List<String> outside = data.outside(graph);
      if (!outside.isEmpty()) {
        String reason = "refused: " + String.join("; ", outside);
        report(job.id(), new AgentReport(id, "failed", 0, 0, reason, Instant.now()), List.of());
        log.printf("agent %s: job %s %s%n", id, job.id(), reason);
        return;
      }
      graph = shared(graph, id, connection);
    } catch (RuntimeException e) {
      failed(job, e);
      return;
    }
    // rows of earlier runs of the job here (after a rejoin), so the reports keep adding up
    long[] before = {0, 0};
    long[] current = {0, 0};
    while (true) {
      try {
        ExecutionOptions options = ExecutionOptions.defaults().withThreads(threads).withStop(stop)
            .withProgress(p -> {
              current[0] = p.rowsIn();
              current[1] = p.rowsOut();
              report(job.id(), new AgentReport(id, "running", before[0] + p.rowsIn(),
                  before[1] + p.rowsOut(), "", Instant.now(), p.stream().partitions(),
                  p.stream().lag(), p.references(), null), p.operators());
            });
        JobSummary summary = new JobManager(options, null).submitJob(graph).summary();
        String state = summary.stopped() ? "stopped" : "finished";
        long rowsIn = before[0] + summary.streamRowsIn();
        long rowsOut = before[1] + summary.rowsOut();
        // No partitions once it ends here: the group has them back. After a rejoin the
        // per-operator summary is the last run's (a fenced run ends without one).
        report(job.id(), new AgentReport(id, state, rowsIn, rowsOut, "", Instant.now(), Map.of(),
            -1, AgentSummaries.references(summary), AgentSummaries.of(summary)),
            summary.operators());
        log.printf("agent %s: job %s %s: %,d rows in, %,d rows out%n", id, job.id(), state,
            rowsIn, rowsOut);
        log.print(summary.format()); // per operator, as sabot run prints it (a join's table too)
        return;
      } catch (RuntimeException | Error e) {
        if (!GroupMember.FencedException.in(e) || stop.isRequested()) {
          failed(job, e);
          return;
        }
        log.printf("agent %s: job %s: %s; running it again%n", id, job.id(), e.getMessage());
        // a pause first: each run leaves and joins the group (a rebalance for every agent)
        pauseBeforeRerun(stop);
        before[0] += current[0];
        before[1] += current[1];
        current[0] = 0;
        current[1] = 0;
      }
    }
  }

  /** {@link #RERUN_PAUSE_MS}, or less when the job is stopped meanwhile. */
  private static void pauseBeforeRerun(StopSignal stop) {
    long until = System.currentTimeMillis() + RERUN_PAUSE_MS;
    while (!stop.isRequested() && System.currentTimeMillis() < until) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void failed(ClusterJob job, Throwable e) {
    String reason = String.valueOf(e.getMessage());
    report(job.id(), new AgentReport(id, "failed", 0, 0, reason, Instant.now()), List.of());
    log.printf("agent %s: job %s failed here: %s%n", id, job.id(), e.getMessage());
  }

  /**
   * Tells the status topic how the job stands here (the key is the job and this agent, so each
   * agent's latest report per job is kept), and the metrics, with the operators' counts so far.
   * A report that cannot be written is logged: it must not stop the job.
   */
  private void report(String jobId, AgentReport r, List<OperatorSummary> operators) {
    if (metrics != null) metrics.update(jobId, r, operators);
    try {
      status.publish(jobId + "/" + id, StatusRecords.encode(jobId, r));
    } catch (IOException e) {
      log.printf("agent %s: cannot report on job %s: %s%n", id, jobId, e.getMessage());
    }
  }

  /**
   * The job with each stream source (what a sink's pipeline reads; never a reference table's
   * input, which every agent reads whole) read with {@code assignment: group}, and each
   * exactly-once Kafka sink's transactional id made this agent's own (agents sharing one id
   * would fence each other; the group's generation, sent with the offsets, fences a zombie).
   */
  static JobGraph shared(JobGraph graph, String agentId, Map<String, String> connection) {
    // every Kafka client of the job connects as the agent does
    for (StreamOperatorNode node : List.copyOf(graph.operators())) {
      if (node.operatorType() == io.sabot.graph.OperatorType.SOURCE) {
        SourceSpec spec = node.spec(SourceSpec.class);
        if (spec.connector() instanceof KafkaSourceSpec) {
          graph.replaceOperator(node.withSpec(new SourceSpec(((KafkaSourceSpec) spec.connector())
              .withProperties(connection), spec.onError(), spec.rejectsPath(), spec.batchSize())));
        }
      } else if (node.operatorType() == io.sabot.graph.OperatorType.SINK) {
        SinkSpec spec = node.spec(SinkSpec.class);
        if (spec.connector() instanceof KafkaSinkSpec) {
          graph.replaceOperator(node.withSpec(new SinkSpec(((KafkaSinkSpec) spec.connector())
              .withProperties(connection))));
        }
      }
    }
    PhysicalPlan plan = new JobManager(ExecutionOptions.defaults(), null).plan(graph);
    for (SinkPlan sink : plan.sinks()) {
      StreamOperatorNode source = sink.stream().sourceNode();
      SourceSpec spec = source.spec(SourceSpec.class);
      if (!(spec.connector() instanceof KafkaSourceSpec)) continue; // refused at submit
      KafkaSourceSpec kafka = (KafkaSourceSpec) spec.connector();
      graph.replaceOperator(source.withSpec(new SourceSpec(kafka.withGroupAssignment(),
          spec.onError(), spec.rejectsPath(), spec.batchSize())));
      SinkSpec sinkSpec = sink.sinkNode().spec(SinkSpec.class);
      if (sinkSpec.connector() instanceof KafkaSinkSpec) {
        graph.replaceOperator(sink.sinkNode().withSpec(new SinkSpec(
            ((KafkaSinkSpec) sinkSpec.connector()).withTransactionalIdSuffix(agentId))));
      }
    }
    return graph;
  }

  private static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * {@code java io.sabot.kafka.Agent BOOTSTRAP ID THREADS [CONTROL_TOPIC [DATA_DIR
   * [METRICS_PORT [CONFIG]]]]}: until SIGTERM (the data directory defaults to the working
   * directory; no metrics with a port of -1; no extra client settings without a config file).
   */
  public static void main(String[] args) throws IOException {
    String topic = args.length > 3 ? args[3] : JobCluster.CONTROL_TOPIC;
    Path dir = Path.of(args.length > 4 ? args[4] : ".");
    int port = args.length > 5 ? Integer.parseInt(args[5]) : -1;
    Map<String, String> config = args.length > 6 ? readConfig(Path.of(args[6])) : Map.of();
    runUntilTerminated(new Agent(args[0], args[1], Integer.parseInt(args[2]), topic, dir, port,
        config, System.out));
  }

  /**
   * Runs {@code agent} until SIGTERM or Ctrl-C, which stop its jobs cleanly: the shutdown hook
   * waits (at most a minute) for the agent to finish before the JVM exits.
   */
  public static void runUntilTerminated(Agent agent) throws IOException {
    StopSignal stop = new StopSignal();
    java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.request();
      try {
        finished.await(60, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "sabot-agent-shutdown"));
    try {
      agent.run(stop);
    } finally {
      finished.countDown();
    }
  }
}
