package io.sabot.cli;

import io.sabot.exec.ExecutionOptions;
import io.sabot.exec.JobManager;
import io.sabot.exec.JobResult;
import io.sabot.exec.StopSignal;
import io.sabot.graph.JobFile;
import io.sabot.graph.JobGraph;
import io.sabot.optimizer.PlanOptimizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code sabot run JOB}: runs a job file; progress and the summary go to stderr. Ctrl-C or
 * SIGTERM stops the job cleanly ({@link StopOnSignal}); it then exits 130 or 143.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a job file (YAML or JSON). Progress and the summary go to stderr.")
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "JOB", description = "the job file")
  Path job;

  @Option(names = "--threads", paramLabel = "N",
      description = "worker threads (default: all cores, ${DEFAULT-VALUE})")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--memory", paramLabel = "BYTES", converter = ByteSizeConverter.class,
      description = "the job's Arrow memory limit, e.g. 512m or 4g (default: the JVM's max heap)")
  Long memory;

  @Option(names = "--quiet", description = "no progress lines")
  boolean quiet;

  @Option(names = "--no-optimize", description = "run the plan exactly as written")
  boolean noOptimize;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if (threads < 1 || threads > 1024) { // --memory is checked by ByteSizeConverter
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "Invalid value for option '--threads': " + threads + "; use 1 to 1024");
    }
    PrintWriter err = spec.commandLine().getErr();
    JobGraph graph = JobFile.load(job);
    ExecutionOptions options = ExecutionOptions.defaults().withThreads(threads);
    if (memory != null) options = options.withMemoryLimit(memory);
    if (!quiet) {
      options = options.withProgress(p -> {
        err.println(p.format());
        err.flush();
      });
    }
    StopSignal stop = new StopSignal();
    JobResult result;
    int signalExit;
    try (StopOnSignal signals = StopOnSignal.install(stop, err)) {
      result = new JobManager(options.withStop(stop), noOptimize ? null : new PlanOptimizer())
          .submitJob(graph);
      signalExit = signals.exitCode();
    }
    System.out.flush();
    err.print(result.summary().format());
    err.flush();
    return signalExit != 0 ? signalExit : SabotCommand.EXIT_OK;
  }
}
