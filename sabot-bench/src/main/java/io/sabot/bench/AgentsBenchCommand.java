package io.sabot.bench;

import io.sabot.kafka.AgentsBenchmark;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code sabot bench-agents}: one job shared by 1, 2, 4 ... agents (child JVMs) on one broker,
 * and the time from an agent's SIGKILL to its partitions' output resuming ({@link
 * AgentsBenchmark}). Exit codes: 0, 1 when the benchmark failed, 2 for bad options.
 */
@Command(name = "bench-agents", mixinStandardHelpOptions = true,
    description = {"Benchmark agents: N quotes in a topic of P partitions, enriched with R "
        + "securities from a compacted topic and written to a topic, by a bounded job submitted "
        + "to K agents (child JVMs of this one); the wall time from the submit until the job's "
        + "group has committed every partition's end. Then, unless --kill-rate 0, two agents run "
        + "an unbounded job while quotes arrive at that rate, one is killed with SIGKILL, and the "
        + "time until each of its partitions' output resumes is printed, with the quotes lost "
        + "and repeated. Without --bootstrap a single-node broker is started (child JVM).",
        "Prints: RESULT_AGENTS agents=K pass=.. wall_s=.. rows_per_s=.. and RESULT_AGENT_KILL "
            + "session_timeout_ms=.. resumed_ms=[partition:ms, ...] max_ms=.. lost=.. repeated=.."})
public final class AgentsBenchCommand implements Callable<Integer> {
  @Option(names = "--rows", paramLabel = "N", converter = BenchCommand.CountConverter.class,
      description = "quotes for the throughput runs (default: 2M)")
  long rows = 2_000_000;

  @Option(names = "--reference-rows", paramLabel = "R", converter = BenchCommand.CountConverter.class,
      description = "securities (default: 10K)")
  long referenceRows = 10_000;

  @Option(names = "--agents", paramLabel = "K,K,...", description = "agent counts, run in this "
      + "order each pass (default: ${DEFAULT-VALUE})")
  String agents = "1,2,4";

  @Option(names = "--threads", paramLabel = "T", description = "worker threads per agent "
      + "(default: ${DEFAULT-VALUE})")
  int threads = 1;

  @Option(names = "--partitions", paramLabel = "P", description = "partitions of the quotes and "
      + "output topics (default: ${DEFAULT-VALUE})")
  int partitions = 8;

  @Option(names = "--passes", paramLabel = "X", description = "times the agent counts are run "
      + "(default: ${DEFAULT-VALUE})")
  int passes = 2;

  @Option(names = "--kill-rate", paramLabel = "Q", description = "quotes per second during the "
      + "kill run; 0: no kill run (default: ${DEFAULT-VALUE})")
  int killRate = 20_000;

  @Option(names = "--session-timeout-ms", paramLabel = "MS", description = "the job's consumer "
      + "group session.timeout.ms (default: ${DEFAULT-VALUE}; Kafka's own default is 45000)")
  int sessionTimeoutMs = 6_000;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "use this broker "
      + "instead of starting one (topics named sabot-agents-<id>-*)")
  String bootstrap;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    List<Integer> counts;
    try {
      counts = AgentsBenchmark.counts(agents);
    } catch (NumberFormatException e) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--agents=" + agents + " is not a list of agent counts such as 1,2,4");
    }
    if (counts.stream().anyMatch(k -> k < 1) || threads < 1 || partitions < 1 || passes < 0
        || killRate < 0 || sessionTimeoutMs < 1000 || rows < 1 || referenceRows < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "counts must be positive, "
          + "--session-timeout-ms at least 1000");
    }
    new AgentsBenchmark(new AgentsBenchmark.Options(rows, (int) referenceRows, counts, threads,
        partitions, passes, killRate, sessionTimeoutMs,
        bootstrap == null || bootstrap.isBlank() ? null : bootstrap.trim()), System.out).run();
    return 0;
  }
}
