package io.sabot.cli;

import static io.sabot.cli.Cli.sabot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** The top-level command: unknown commands are usage errors, never the help with exit 0. */
class SabotCommandTest {
  static final String COMMANDS =
      "commands: run, explain, datagen, bench, bench-kafka, bench-agents, broker, agent, submit, jobs, cancel, "
      + "help "
      + "(sabot --help describes them)";

  @Test
  void shouldRefuseAnUnknownCommandEvenWithHelp() {
    Cli r = sabot("serve", "--help");
    assertEquals(2, r.exitCode, r.toString());
    assertEquals("Unknown command 'serve'; " + COMMANDS + "\n", r.err);
    assertEquals("", r.out);
  }

  @Test
  void shouldRefuseAnUnknownCommandAlone() {
    Cli r = sabot("serve");
    assertEquals(2, r.exitCode, r.toString());
    assertEquals("Unknown command 'serve'; " + COMMANDS + "\n", r.err);
  }

  @Test
  void shouldRefuseAnUnknownCommandWithAnUnknownOption() {
    Cli r = sabot("foo", "--x");
    assertEquals(2, r.exitCode, r.toString());
    assertEquals("Unknown command 'foo'; " + COMMANDS + "\n", r.err);
  }

  @Test
  void shouldStillPrintTheHelpForHelp() {
    Cli r = sabot("--help");
    assertEquals(0, r.exitCode, r.toString());
    assertFalse(r.out.isEmpty());
  }

  @Test
  void shouldRefuseAnUnknownTopLevelOption() {
    Cli r = sabot("--x");
    assertEquals(2, r.exitCode, r.toString());
    assertEquals("Unknown option: '--x'", r.firstErrLine());
  }

  @Test
  void shouldRefuseHelpForAnUnknownCommand() {
    Cli r = sabot("help", "serve");
    assertEquals(2, r.exitCode, r.toString());
    assertEquals("Unknown subcommand 'serve'.", r.firstErrLine());
  }
}
