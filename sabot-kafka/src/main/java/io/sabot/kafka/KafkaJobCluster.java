package io.sabot.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sabot.cluster.AgentReport;
import io.sabot.cluster.ClusterJob;
import io.sabot.cluster.JobCluster;
import io.sabot.connect.builtin.FileSourceSpec;
import io.sabot.error.InvalidJobException;
import io.sabot.exec.JobManager;
import io.sabot.graph.JobFile;
import io.sabot.graph.JobGraph;
import io.sabot.graph.SinkSpec;
import io.sabot.graph.SourceSpec;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.plan.PhysicalPlan;
import io.sabot.plan.PipelinePlan;
import io.sabot.plan.ReferenceBuild;
import io.sabot.plan.SinkPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * {@link JobCluster} on Kafka: the jobs are the records of a compacted control topic
 * ({@link ControlTopic}), one per job id, a tombstone once cancelled.
 *
 * <pre>
 *   submit(graph) ─► JobManager.plan (validate, optimize, lower; the same errors as sabot run)
 *                ─► can it run on agents? (stream from a topic; reference tables from topics
 *                   or files) ─► {"id", "name", "submitted_at", "job": optimized job file}
 *                ─► control topic, key = id (acknowledged by every in-sync replica)
 * </pre>
 */
public final class KafkaJobCluster implements JobCluster {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ControlTopic control;
  private final ControlTopic status;

  /** The cluster at {@code bootstrapServers}, its jobs on {@link #CONTROL_TOPIC}. */
  public static KafkaJobCluster connect(String bootstrapServers) {
    return connect(bootstrapServers, CONTROL_TOPIC);
  }

  /** With another control topic (tests: one per test). */
  static KafkaJobCluster connect(String bootstrapServers, String controlTopic) {
    return connect(bootstrapServers, controlTopic, Map.of());
  }

  /** With client {@code settings} (how to connect to a secured cluster). */
  static KafkaJobCluster connect(String bootstrapServers, String controlTopic,
                                 Map<String, String> settings) {
    return new KafkaJobCluster(bootstrapServers, controlTopic, settings);
  }

  private KafkaJobCluster(String bootstrapServers, String controlTopic,
                          Map<String, String> settings) {
    this.control = new ControlTopic(bootstrapServers, controlTopic, KafkaClients.TIMEOUT, settings);
    this.status = new ControlTopic(bootstrapServers, statusTopicFor(controlTopic),
        KafkaClients.TIMEOUT, settings);
  }

  @Override
  public ClusterJob submit(JobGraph graph) {
    PhysicalPlan plan = new JobManager().plan(graph);
    List<String> problems = new ArrayList<>();
    for (SinkPlan sink : plan.sinks()) {
      checkDistributable(sink.stream(), true, problems);
      checkSink(sink.sinkNode(), problems);
    }
    for (StreamOperatorNode node : plan.graph().operators()) checkNoSecrets(node, problems);
    if (!problems.isEmpty()) throw new InvalidJobException(problems);
    JobGraph optimized = plan.graph();
    String id = optimized.jobName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    ClusterJob job = new ClusterJob(id, optimized.jobName(), Instant.now(),
        JobFile.write(optimized, JobFile.Format.JSON), List.of());
    try {
      control.publish(id, encode(job));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot submit job " + id + ": " + e.getMessage(), e);
    }
    return job;
  }

  /**
   * What an agent can run: the stream from a Kafka topic (its partitions are what agents share),
   * every reference table from a topic or from files each agent reads on its own machine.
   */
  private static void checkDistributable(PipelinePlan p, boolean stream, List<String> problems) {
    StreamOperatorNode source = p.sourceNode();
    Object connector = source.spec(SourceSpec.class).connector();
    if (stream && !(connector instanceof KafkaSourceSpec)) {
      problems.add("operator=" + source.name() + " is the stream of a job submitted to agents, "
          + "so it must be a Kafka topic (kafka_topic: ...), whose partitions the agents share; "
          + "run this job with `sabot run` instead, or read the stream from a topic");
    } else if (!stream && !(connector instanceof KafkaSourceSpec)
        && !(connector instanceof FileSourceSpec)) {
      problems.add("operator=" + source.name() + " feeds a reference table of a job submitted to "
          + "agents, so it must be a Kafka topic or files every agent can read (path: ...); a "
          + "generator or memory table exists only in the process that defines it");
    }
    for (ReferenceBuild build : p.builds()) checkDistributable(build.input(), false, problems);
  }

  /**
   * What agents can write today: a Kafka topic (each agent writes the rows of its partitions, at
   * least once or exactly once). Files would be written on each agent's machine.
   */
  private static void checkSink(StreamOperatorNode sink, List<String> problems) {
    Object connector = sink.spec(SinkSpec.class).connector();
    if (!(connector instanceof KafkaSinkSpec)) {
      problems.add("operator=" + sink.name() + " is the sink of a job submitted to agents, so it "
          + "must be a Kafka topic (kafka_topic: ...): each agent writes the rows of its share of "
          + "the stream there; run this job with `sabot run` to write files");
    }
  }

  /**
   * A job on the control topic can be read by everyone who can read that topic: connection
   * secrets (security.*, sasl.*, ssl.*) come from each agent's --config, never from a job.
   */
  private static void checkNoSecrets(StreamOperatorNode node, List<String> problems) {
    Map<String, String> properties = Map.of();
    if (node.operatorType() == io.sabot.graph.OperatorType.SOURCE
        && node.spec(SourceSpec.class).connector() instanceof KafkaSourceSpec) {
      properties = ((KafkaSourceSpec) node.spec(SourceSpec.class).connector()).properties();
    } else if (node.operatorType() == io.sabot.graph.OperatorType.SINK
        && node.spec(SinkSpec.class).connector() instanceof KafkaSinkSpec) {
      properties = ((KafkaSinkSpec) node.spec(SinkSpec.class).connector()).properties();
    }
    for (String key : new java.util.TreeSet<>(properties.keySet())) {
      if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
        problems.add("operator=" + node.name() + " parameter=properties key=" + key + " is a "
            + "connection setting; a job submitted to agents may not carry one (everyone who "
            + "can read " + CONTROL_TOPIC + " would read it): give it to each agent in its "
            + "--config file instead");
      }
    }
  }

  @Override
  public List<ClusterJob> jobs() {
    Map<String, List<AgentReport>> reports = reports();
    List<ClusterJob> out = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : read().entrySet()) {
      out.add(decode(e.getKey(), e.getValue(), reports.getOrDefault(e.getKey(), List.of())));
    }
    return out;
  }

  @Override
  public Optional<ClusterJob> status(String id) {
    byte[] value = read().get(id);
    if (value == null) return Optional.empty();
    return Optional.of(decode(id, value, reports().getOrDefault(id, List.of())));
  }

  /** The status topic of a control topic: sabot.status for sabot.jobs, else NAME.status. */
  static String statusTopicFor(String controlTopic) {
    return CONTROL_TOPIC.equals(controlTopic) ? STATUS_TOPIC : controlTopic + ".status";
  }

  /** Every agent's last report, by job id. */
  private Map<String, List<AgentReport>> reports() {
    Map<String, List<AgentReport>> out = new HashMap<>();
    try {
      for (byte[] value : status.readAll().values()) {
        StatusRecords.Read r = StatusRecords.decode(value);
        out.computeIfAbsent(r.job(), k -> new ArrayList<>()).add(r.report());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the agents' reports: " + e.getMessage(), e);
    }
    out.values().forEach(l -> l.sort(java.util.Comparator.comparing(AgentReport::agent)));
    return out;
  }

  /** An agent whose last "running" report is older than this no longer runs the job. */
  static final Duration SILENT = Duration.ofSeconds(10);

  @Override
  public ClusterJob awaitFinished(String id, Duration timeout)
      throws TimeoutException, InterruptedException {
    ClusterJob job = status(id).orElseThrow(() -> new IllegalArgumentException("no job " + id
        + " on the control topic (`sabot jobs` lists them)"));
    List<KafkaSourceSpec> streams = new ArrayList<>();
    PhysicalPlan plan = new JobManager(io.sabot.exec.ExecutionOptions.defaults(), null)
        .plan(graphOf(job));
    for (SinkPlan sink : plan.sinks()) {
      Object c = sink.stream().sourceNode().spec(SourceSpec.class).connector();
      if (!(c instanceof KafkaSourceSpec) || !((KafkaSourceSpec) c).bounded()) {
        throw new IllegalArgumentException("job " + id + " reads the stream "
            + sink.stream().sourceName() + " to no end (bounded: false): it finishes only when "
            + "cancelled");
      }
      streams.add((KafkaSourceSpec) c);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try (GroupProgress progress = new GroupProgress(streams)) {
      while (true) {
        ClusterJob now = status(id).orElseThrow(() -> new IllegalArgumentException("job " + id
            + " was cancelled while waiting for it"));
        boolean reported = !now.agents().isEmpty();
        // a running agent reports every second; one silent for longer than SILENT is gone
        // (killed: its partitions have moved, and the committed offsets tell the rest)
        java.time.Instant alive = java.time.Instant.now().minus(SILENT);
        boolean running = now.agents().stream().anyMatch(a -> a.state().equals("running")
            && a.updatedAt().isAfter(alive));
        if (reported && !running && progress.committedToEnd()) return now;
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("job " + id + " did not finish within " + timeout
              + "; agents: " + now.agents());
        }
        Thread.sleep(200);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot follow job " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean cancel(String id) {
    if (!read().containsKey(id)) return false;
    try {
      control.publish(id, null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot cancel job " + id + ": " + e.getMessage(), e);
    }
    return true;
  }

  private Map<String, byte[]> read() {
    try {
      return control.readAll();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the jobs: " + e.getMessage(), e);
    }
  }

  static byte[] encode(ClusterJob job) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", job.id());
    root.put("name", job.name());
    root.put("submitted_at", job.submittedAt().toString());
    try {
      root.set("job", JSON.readTree(job.jobJson()));
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ClusterJob decode(String id, byte[] value) {
    return decode(id, value, List.of());
  }

  static ClusterJob decode(String id, byte[] value, List<AgentReport> reports) {
    try {
      JsonNode root = JSON.readTree(value);
      return new ClusterJob(id, root.path("name").asText(),
          Instant.parse(root.path("submitted_at").asText()),
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root.path("job")), reports);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("the control topic holds a record for job " + id
          + " that is not a Sabot job: " + new String(value, StandardCharsets.UTF_8), e);
    }
  }

  @Override
  public void close() {
    control.close();
    status.close();
  }

  /** For the CLI: a job's optimized graph, as agents will run it. */
  public static JobGraph graphOf(ClusterJob job) {
    return JobFile.parse(job.jobJson(), "job " + job.id());
  }
}
