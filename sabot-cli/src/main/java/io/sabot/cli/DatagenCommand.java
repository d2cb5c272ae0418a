package io.sabot.cli;

import io.sabot.error.InvalidJobException;
import io.sabot.exec.ExecutionOptions;
import io.sabot.exec.JobManager;
import io.sabot.exec.JobSummary;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code sabot datagen quotes|securities}: writes the benchmark workload to a file, by running a
 * two-operator job (generator source, file sink) through the engine itself.
 */
@Command(name = "datagen", mixinStandardHelpOptions = true,
    description = "Write the workload of docs/workload.md (quotes or securities) to a file.")
final class DatagenCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "TABLE", description = "quotes or securities")
  String table;

  @Option(names = "--rows", paramLabel = "N", required = true,
      description = "rows to write (for securities: the reference rows R)")
  long rows;

  @Option(names = "--reference-rows", paramLabel = "R",
      description = "reference table size the quotes' instrumentIds are drawn for (default: 10000)")
  long referenceRows = 10_000;

  @Option(names = "--out", paramLabel = "FILE", required = true,
      description = "output file; the format follows the extension: .csv, .jsonl or .arrow")
  Path out;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if (!table.equals("quotes") && !table.equals("securities")) {
      throw new InvalidJobException("datagen TABLE=" + table + " is not known; use quotes or "
          + "securities");
    }
    JobGraph graph = new JobGraph("datagen_" + table);
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("generator", table);
    source.put("rows", rows);
    source.put("reference_rows", table.equals("securities") ? rows : referenceRows);
    graph.addOperator(new StreamOperatorNode(OperatorType.SOURCE, "generate", source));
    graph.addOperator(new StreamOperatorNode(OperatorType.SINK, "write",
        Map.of("path", out.toAbsolutePath().toString())));
    graph.connect("generate", "write");
    JobSummary summary = new JobManager(ExecutionOptions.defaults()).submitJob(graph).summary();
    spec.commandLine().getErr().printf("wrote %,d %s rows to %s in %.2f s%n", summary.rowsOut(),
        table, out, summary.wallSeconds());
    return SabotCommand.EXIT_OK;
  }
}
