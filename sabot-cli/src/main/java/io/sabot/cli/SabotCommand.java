package io.sabot.cli;

import io.sabot.bench.AgentsBenchCommand;
import io.sabot.bench.BenchCommand;
import io.sabot.bench.KafkaBenchCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code sabot} command. Exit codes: 0 success, 2 invalid job (nothing was read), 1 execution
 * failure.
 */
@Command(name = "sabot", mixinStandardHelpOptions = true, version = "sabot 0.1.0",
    description = "Enrich event streams with reference tables, fast.",
    subcommands = {RunCommand.class, ExplainCommand.class, DatagenCommand.class, BenchCommand.class,
        KafkaBenchCommand.class, AgentsBenchCommand.class, BrokerCommand.class, ClusterCommands.AgentCommand.class,
        ClusterCommands.Submit.class, ClusterCommands.Jobs.class, ClusterCommands.Cancel.class, CommandLine.HelpCommand.class})
public final class SabotCommand implements Runnable {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_INVALID = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (for tests and for main). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new SabotCommand());
    if (args.length > 0 && !args[0].startsWith("-")
        && !cli.getSubcommands().containsKey(args[0])) {
      // before parsing: picocli would otherwise honour a later --help and print the usage (exit 0)
      cli.getErr().println(unknownCommand(cli, args[0]));
      cli.getErr().flush();
      return EXIT_INVALID;
    }
    cli.setExecutionExceptionHandler(new ErrorReporter());
    cli.setParameterExceptionHandler((ex, a) -> {
      ex.getCommandLine().getErr().println(ex.getMessage());
      ex.getCommandLine().usage(ex.getCommandLine().getErr());
      return EXIT_INVALID;
    });
    return cli.execute(args);
  }

  static String unknownCommand(CommandLine cli, String name) {
    return "Unknown command '" + name + "'; commands: "
        + String.join(", ", cli.getSubcommands().keySet()) + " (sabot --help describes them)";
  }
}
