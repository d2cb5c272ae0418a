package io.sabot.differential;

import io.sabot.exec.ExecutionOptions;
import io.sabot.exec.JobManager;
import io.sabot.exec.JobResult;
import io.sabot.exec.JobSummary;
import io.sabot.exec.OperatorSummary;
import io.sabot.graph.JobFile;
import io.sabot.graph.JobGraph;
import io.sabot.optimizer.OptimizedJob;
import io.sabot.optimizer.PlanOptimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link JobCase} on the engine and compares, exactly and in order, the sink's CSV with the
 * row-at-a-time result, then the summary's counters. The engine runs the job as read back from its
 * own YAML text, so the text printed with a failure is exactly the job that failed.
 *
 * <p>Leaks: the executor fails a job that ends with Arrow memory still allocated, so every job
 * that completes here has released all of it.
 */
final class DifferentialRun {
  private DifferentialRun() {}

  static void check(JobCase c, Path dir) throws IOException {
    Files.createDirectories(dir);
    for (Map.Entry<String, String> f : c.files().entrySet()) {
      CsvFiles.writeFile(dir.resolve(f.getKey()), f.getValue());
    }
    String yaml = JobFile.write(c.graph(), JobFile.Format.YAML);
    JobResult result;
    OptimizedJob optimized = null;
    ExecutionOptions options = ExecutionOptions.defaults().withThreads(c.threads());
    try {
      JobGraph graph = JobFile.parse(yaml, "seed " + c.seed());
      graph.setBaseDirectory(dir);
      PlanOptimizer optimizer = c.optimizer();
      if (optimizer == null) {
        result = new JobManager(options, null).submitJob(graph);
      } else {
        optimized = optimizer.optimize(graph);
        result = new JobManager(options, optimizer).submitJob(optimized);
      }
    } catch (RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      if (c.expectedError() == null || !message.contains(c.expectedError())) {
        throw new AssertionError(describe(c, yaml, optimized) + "the engine failed: " + e, e);
      }
      // Failed as it must. A leak would show as an exception suppressed by the allocator's close.
      if (e.getSuppressed().length > 0) {
        throw new AssertionError(describe(c, yaml, optimized) + "the failed job also threw "
            + java.util.Arrays.toString(e.getSuppressed()), e);
      }
      return;
    }
    if (c.expectedError() != null) {
      throw new AssertionError(describe(c, yaml, optimized) + "the job must fail with '"
          + c.expectedError() + "', but it succeeded");
    }
    List<List<String>> actual = CsvFiles.read(dir.resolve(JobCase.OUTPUT));
    List<List<String>> expected = new ArrayList<>();
    expected.add(c.expected().names());
    expected.addAll(c.expected().rendered());
    String diff = firstDifference(expected, actual);
    if (diff != null) {
      throw new AssertionError(describe(c, yaml, optimized) + diff
          + "\nexpected:\n" + show(expected) + "actual:\n" + show(actual));
    }
    List<String> problems = counterProblems(c, result.summary());
    if (!problems.isEmpty()) {
      throw new AssertionError(describe(c, yaml, optimized) + "summary counters differ:\n  "
          + String.join("\n  ", problems) + "\n" + result.summary().format());
    }
  }

  private static List<String> counterProblems(JobCase c, JobSummary s) {
    List<String> problems = new ArrayList<>();
    long rows = c.expected().rows().size();
    if (s.rowsOut() != rows) problems.add("rowsOut=" + s.rowsOut() + ", expected " + rows);
    if (s.rejectedRecords() != 0) {
      problems.add("rejectedRecords=" + s.rejectedRecords() + ", expected 0");
    }
    if (c.rules() != null) return problems; // an optimized plan has other operators
    for (Map.Entry<String, Map<String, Long>> op : c.counters().entrySet()) {
      OperatorSummary o;
      try {
        o = s.operator(op.getKey());
      } catch (IllegalArgumentException e) {
        problems.add("operator " + op.getKey() + " missing from the summary");
        continue;
      }
      for (Map.Entry<String, Long> counter : op.getValue().entrySet()) {
        long actual;
        switch (counter.getKey()) {
          case "rows_in": actual = o.rowsIn(); break;
          case "rows_out": actual = o.rowsOut(); break;
          default: actual = o.detail(counter.getKey()); break;
        }
        if (actual != counter.getValue()) {
          problems.add(op.getKey() + "." + counter.getKey() + "=" + actual + ", expected "
              + counter.getValue());
        }
      }
    }
    return problems;
  }

  private static String firstDifference(List<List<String>> expected, List<List<String>> actual) {
    if (actual.isEmpty()) return "the sink file has no header";
    if (!expected.get(0).equals(actual.get(0))) {
      return "header differs: expected " + expected.get(0) + ", actual " + actual.get(0);
    }
    for (int i = 1; i < Math.min(expected.size(), actual.size()); i++) {
      if (!expected.get(i).equals(actual.get(i))) {
        return "row " + i + " differs: expected " + expected.get(i) + ", actual " + actual.get(i);
      }
    }
    if (expected.size() != actual.size()) {
      return "expected " + (expected.size() - 1) + " rows, the sink has " + (actual.size() - 1);
    }
    return null;
  }

  static String describe(JobCase c, String yaml, OptimizedJob optimized) {
    StringBuilder sb = new StringBuilder();
    sb.append("seed=").append(c.seed()).append(" threads=").append(c.threads())
        .append(c.rules() == null ? " as written" : " optimizer rules=" + c.rules())
        .append(" (replay: -Dsabot.differential.seed=").append(c.seed()).append(")\n")
        .append("--- job file ---\n").append(yaml);
    if (optimized != null) {
      sb.append("--- optimized ---\n")
          .append(JobFile.write(optimized.graph(), JobFile.Format.YAML));
      optimized.changes().forEach((rule, lines) ->
          sb.append("# ").append(rule).append(": ").append(String.join("; ", lines)).append('\n'));
    }
    for (Map.Entry<String, String> f : c.files().entrySet()) {
      String text = f.getValue();
      long lines = text.chars().filter(ch -> ch == '\n').count();
      sb.append("--- ").append(f.getKey()).append(" (").append(lines - 1).append(" rows) ---\n")
          .append(lines <= 60 ? text : text.substring(0, nthNewline(text, 60)) + "...\n");
    }
    return sb.append("---\n").toString();
  }

  private static int nthNewline(String text, int n) {
    int at = -1;
    for (int i = 0; i < n; i++) at = text.indexOf('\n', at + 1);
    return at + 1;
  }

  private static String show(List<List<String>> rows) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rows.size() && i < 60; i++) {
      sb.append("  ").append(rows.get(i)).append('\n');
    }
    if (rows.size() > 60) sb.append("  ... ").append(rows.size() - 60).append(" more\n");
    return sb.toString();
  }
}
