package io.sabot.cli;

import io.sabot.error.InvalidJobException;
import io.sabot.error.JobExecutionException;
import picocli.CommandLine;

/**
 * Maps failures to messages and exit codes: the user's plan is wrong (2), running failed (1), or
 * a bug (1, with the stack trace, since a bug report needs it).
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine cli,
                                      CommandLine.ParseResult parseResult) {
    if (ex instanceof InvalidJobException) {
      cli.getErr().println(ex.getMessage());
      return SabotCommand.EXIT_INVALID;
    }
    if (ex instanceof JobExecutionException) {
      cli.getErr().println(ex.getMessage());
      return SabotCommand.EXIT_FAILED;
    }
    cli.getErr().println("Internal error: " + ex + "; this is a bug in Sabot; please report it "
        + "with the stack trace below");
    ex.printStackTrace(cli.getErr());
    return SabotCommand.EXIT_FAILED;
  }
}
