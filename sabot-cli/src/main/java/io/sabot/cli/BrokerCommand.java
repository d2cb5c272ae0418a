package io.sabot.cli;

import io.sabot.kafka.KafkaBroker;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code sabot broker}: a single-node KRaft Kafka broker on 127.0.0.1 for development, started
 * from the Kafka jars Maven fetched (no download, no Docker), until Ctrl-C.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
    description = "Run a single-node Kafka broker (KRaft) on 127.0.0.1 until stopped.")
final class BrokerCommand implements Callable<Integer> {
  @Option(names = "--port", paramLabel = "PORT",
      description = "client port, 1 to 65535, or 0 for a free one (default: 9092)")
  int port = 9092;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "data folder, formatted on first use and kept (default: a temporary folder, deleted on exit)")
  Path dir;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "Invalid value for option '--port': "
          + port + "; use 1 to 65535, or 0 for a free port");
    }
    KafkaBroker broker;
    try {
      // Kafka's own default, not the tests' 0: agents started together share a new job's
      // partitions from its first assignment instead of the first to join taking them all
      broker = KafkaBroker.start(port, dir, java.util.Map.of("group.initial.rebalance.delay.ms",
          "3000"));
    } catch (BindException e) {
      spec.commandLine().getErr().println("Cannot start the Kafka broker: " + e.getMessage()
          + "; stop what uses it, or choose another port with --port PORT (--port 0 picks a free one)");
      return SabotCommand.EXIT_FAILED;
    } catch (IOException e) {
      // not a bug in Sabot: a missing jar, a data folder we cannot write, a broker that died
      spec.commandLine().getErr().println("Cannot start the Kafka broker: " + e.getMessage());
      return SabotCommand.EXIT_FAILED;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "sabot-broker-stop"));
    spec.commandLine().getOut().printf("Kafka broker ready: bootstrap_servers: %s (data and "
        + "broker.log in %s); Ctrl-C stops it%n", broker.bootstrapServers(), broker.dataDirectory());
    spec.commandLine().getOut().flush();
    int code = broker.waitFor();
    boolean stopped = code == 0 || code == 143; // 143: ended by SIGTERM, as close() asks
    if (!stopped) {
      spec.commandLine().getErr().println("Kafka broker exited with code " + code
          + "; see broker.log in " + broker.dataDirectory());
    }
    return stopped ? SabotCommand.EXIT_OK : SabotCommand.EXIT_FAILED;
  }
}
