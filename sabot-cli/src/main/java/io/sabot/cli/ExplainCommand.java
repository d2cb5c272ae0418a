package io.sabot.cli;

import io.sabot.graph.JobFile;
import io.sabot.optimizer.OptimizedJob;
import io.sabot.optimizer.PlanExplainer;
import io.sabot.optimizer.PlanOptimizer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sabot explain JOB}: the plan before and after optimization, and what changed. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = {"Print the plan as written and as optimized (sink at the top, sources at the "
        + "leaves), what each optimizer rule did, and the statistics.",
        "Reads each source's header or schema sample once: a CSV or JSON-lines file's header and, "
        + "for columns without a declared type, up to 10,000 records to infer them; an Arrow "
        + "file's schema; an Arrow topic's first record when no schema is given. To weigh join "
        + "orders it may read up to 64 KiB of a reference input's file to estimate its rows. "
        + "No stream data is processed and nothing is written."})
final class ExplainCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "JOB", description = "the job file")
  Path job;

  @Option(names = "--json", description = "print {\"before\", \"after\", \"stats\", ...} as JSON")
  boolean json;

  @Override
  public Integer call() {
    OptimizedJob optimized = new PlanOptimizer().optimize(JobFile.load(job));
    System.out.print(json ? PlanExplainer.json(optimized) + "\n" : PlanExplainer.text(optimized));
    return SabotCommand.EXIT_OK;
  }
}
