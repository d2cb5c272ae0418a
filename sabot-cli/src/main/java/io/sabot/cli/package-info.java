/**
 * The {@code sabot} command (picocli): {@code run}, {@code explain}, {@code datagen},
 * {@code broker}, and the benchmark commands from {@code sabot-bench}. A thin layer: it reads the
 * job file, calls the engine, prints the summary, and maps the three kinds of error to exit codes
 * ({@link io.sabot.cli.ErrorReporter}: 2 invalid job, 1 execution failure, internal errors with a
 * request to report them); Ctrl-C and SIGTERM become a clean stop ({@link
 * io.sabot.cli.StopOnSignal}, exit 130 or 143).
 */
package io.sabot.cli;
