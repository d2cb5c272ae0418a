package io.sabot.cli;

import io.sabot.cluster.AgentReport;
import io.sabot.cluster.ClusterJob;
import io.sabot.cluster.JobCluster;
import io.sabot.exec.AgentSummaries;
import io.sabot.exec.JobManager;
import io.sabot.graph.JobFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The commands that talk to a cluster of agents through its Kafka control topic
 * ({@link JobCluster}): {@code submit}, {@code jobs}, {@code cancel}.
 */
final class ClusterCommands {
  private ClusterCommands() {}

  /** The options every cluster command takes: where the cluster is, and how to connect. */
  static final class Bootstrap {
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", required = true,
        description = "the Kafka cluster the agents use")
    String servers;

    @Option(names = "--config", paramLabel = "FILE",
        description = "Kafka client settings (a properties file: security.protocol, sasl.*, "
            + "ssl.*) for every client this command makes (an agent's jobs too: a job may not "
            + "carry them)")
    java.nio.file.Path config;

    /** The cluster, connected with the --config settings, if any. */
    JobCluster connect() throws java.io.IOException {
      return JobManager.connect(servers, config == null ? java.util.Map.of()
          : io.sabot.kafka.Agent.readConfig(config));
    }
  }

  /** {@code sabot submit JOB --bootstrap-servers B}: validate, optimize, publish; print the id. */
  @Command(name = "submit", mixinStandardHelpOptions = true,
      description = {"Submit a job to the agents of a Kafka cluster: it is validated and "
          + "optimized here, as `sabot run` would (an invalid job is refused, exit 2, and never "
          + "published), then published to the control topic " + JobCluster.CONTROL_TOPIC + ". "
          + "Prints the job's id.",
          "The stream must come from a Kafka topic; reference tables from topics, or from files "
          + "that every agent can read (and that this machine can read, to validate the job)."})
  static final class Submit implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "JOB", description = "the job file")
    Path job;

    @picocli.CommandLine.Mixin
    Bootstrap bootstrap = new Bootstrap();

    @Option(names = "--wait", description = "wait until the job (bounded streams only) has "
        + "finished on every partition, then print its summary over all agents; exit 1 if an "
        + "agent failed it")
    boolean await;

    @Option(names = "--timeout", paramLabel = "SECONDS",
        description = "with --wait: give up after this long, exit 1 (default: ${DEFAULT-VALUE})")
    long timeoutSeconds = 3600;

    @Override
    public Integer call() throws Exception {
      try (JobCluster cluster = bootstrap.connect()) {
        ClusterJob job = cluster.submit(JobFile.load(this.job));
        System.out.println(job.id());
        if (!await) return SabotCommand.EXIT_OK;
        ClusterJob done;
        try {
          done = cluster.awaitFinished(job.id(), java.time.Duration.ofSeconds(timeoutSeconds));
        } catch (java.util.concurrent.TimeoutException e) {
          System.err.println(e.getMessage());
          return SabotCommand.EXIT_FAILED;
        }
        boolean failed = done.agents().stream().anyMatch(a -> a.state().equals("failed"));
        System.out.printf("job %s %s on %d agent%s: %,d rows in, %,d rows out%n", done.id(),
            failed ? "finished, with failures," : "finished", done.agents().size(),
            done.agents().size() == 1 ? "" : "s", done.rowsIn(), done.rowsOut());
        for (AgentReport a : done.agents()) {
          System.out.printf("    agent %s: %s, %,d rows in, %,d rows out%s%n", a.agent(),
              a.state(), a.rowsIn(), a.rowsOut(), a.reason().isEmpty() ? "" : ": " + a.reason());
        }
        // the agents' summaries as one, printed as sabot run prints its own
        AgentSummaries.merge(done).ifPresent(s -> System.out.print(s.format()));
        return failed ? SabotCommand.EXIT_FAILED : SabotCommand.EXIT_OK;
      }
    }
  }

  /** {@code sabot jobs --bootstrap-servers B}: the jobs on the control topic. */
  @Command(name = "jobs", mixinStandardHelpOptions = true,
      description = "List the jobs submitted to the agents of a Kafka cluster and not cancelled: "
          + "id, name, state, when submitted; per agent its last report (running, finished, "
          + "stopped, failed and why), the stream partitions it reads, rows in and out, lag "
          + "(records behind the partitions' ends) and the report's age, then the totals; and "
          + "each agent's reference tables (rows, versions, load time).")
  static final class Jobs implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    Bootstrap bootstrap = new Bootstrap();

    @Override
    public Integer call() throws Exception {
      try (JobCluster cluster = bootstrap.connect()) {
        JobListing.print(cluster.jobs(), java.time.Instant.now(), System.out);
      }
      return SabotCommand.EXIT_OK;
    }
  }

  /** {@code sabot agent --bootstrap-servers B [--id NAME] [--threads N]}: runs until SIGTERM. */
  @Command(name = "agent", mixinStandardHelpOptions = true,
      description = {"Run the jobs submitted to a Kafka cluster (`sabot submit`) until SIGTERM or "
          + "Ctrl-C. Each job's stream is shared with the other agents through the job's "
          + "consumer group: Kafka gives each agent its share of the partitions and moves them "
          + "when an agent joins, leaves or dies. Reference tables are read whole by every agent.",
          "On SIGTERM the agent stops its jobs as `sabot run` stops (rows read are written, "
          + "their offsets committed) and leaves the groups, so the other agents take over."})
  static final class AgentCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    Bootstrap bootstrap = new Bootstrap();

    @Option(names = "--id", paramLabel = "NAME",
        description = "this agent's name in logs (default: host and process id)")
    String id;

    @Option(names = "--threads", paramLabel = "N",
        description = "worker threads per job (default: the cores, ${DEFAULT-VALUE})")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "the only folder jobs may read or write files in; a job's relative paths "
            + "are taken there, and a job naming a file outside it is refused on this agent "
            + "(reported on the status topic) (default: the working directory)")
    java.nio.file.Path dataDir = java.nio.file.Path.of(".");

    @Option(names = "--metrics-port", paramLabel = "P",
        description = "serve Prometheus metrics at http://HOST:P/metrics, per job: rows in and "
            + "out (in all and per operator), rejected records, running and failed, consumer "
            + "lag and partitions, each reference table's rows, versions and bootstrap time "
            + "(default: none)")
    Integer metricsPort;

    @Override
    public Integer call() throws Exception {
      if (threads < 1 || threads > 1024) {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
            "Invalid value for option '--threads': " + threads + "; use 1 to 1024");
      }
      String name = id != null ? id : java.lang.management.ManagementFactory.getRuntimeMXBean()
          .getName();
      io.sabot.kafka.Agent.runUntilTerminated(new io.sabot.kafka.Agent(bootstrap.servers, name,
          threads, dataDir, metricsPort == null ? -1 : metricsPort,
          bootstrap.config == null ? java.util.Map.of()
              : io.sabot.kafka.Agent.readConfig(bootstrap.config),
          System.out));
      return SabotCommand.EXIT_OK;
    }
  }

  /** {@code sabot cancel ID --bootstrap-servers B}. */
  @Command(name = "cancel", mixinStandardHelpOptions = true,
      description = "Cancel a submitted job: its record on the control topic is removed (a "
          + "tombstone). Exit 1 when no such job is there.")
  static final class Cancel implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID", description = "the job id `sabot submit` printed")
    String id;

    @picocli.CommandLine.Mixin
    Bootstrap bootstrap = new Bootstrap();

    @Override
    public Integer call() throws Exception {
      try (JobCluster cluster = bootstrap.connect()) {
        if (!cluster.cancel(id)) {
          System.err.println("no job " + id + " on the control topic (`sabot jobs` lists them)");
          return SabotCommand.EXIT_FAILED;
        }
      }
      System.out.println("cancelled " + id);
      return SabotCommand.EXIT_OK;
    }
  }
}
