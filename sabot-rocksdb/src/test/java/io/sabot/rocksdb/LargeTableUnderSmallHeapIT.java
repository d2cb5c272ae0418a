package io.sabot.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.exec.ExecutionOptions;
import io.sabot.exec.JobManager;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 20M-row reference table joins in a JVM whose heap is capped at 1 GiB: {@code auto} starts in
 * memory, passes the budget (a quarter of the heap) and moves the table to RocksDB, and the job
 * writes exactly the rows it must. The securities' IDs are 0..R-1 and a quote's instrumentId is
 * drawn from [0, 1.05 R), so the expected count is that of the quotes with price &gt; 100 and
 * instrumentId &lt; R, counted here by a job without the table.
 */
@Tag("integration")
class LargeTableUnderSmallHeapIT {
  private static final long N = 1_000_000;
  private static final long R = 20_000_000;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void shouldJoinATwentyMillionRowTableUnderAOneGibHeapByChoosingRocksDb() throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "--add-opens=java.base/java.nio=org.apache.arrow.memory.core,ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), LargeTableJob.class.getName(),
        Long.toString(N), Long.toString(R)));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(4, TimeUnit.MINUTES), "the child JVM did not end:\n" + output);
    assertEquals(0, p.exitValue(), "the child JVM failed:\n" + output);

    Matcher out = Pattern.compile("stream rows in, ([0-9,]+) rows out").matcher(output);
    assertTrue(out.find(), output);
    assertEquals(expectedRows(), Long.parseLong(out.group(1).replace(",", "")), output);
    assertTrue(output.contains("reference_rows=20,000,000, reference_keys=20,000,000"), output);
    Matcher choice = Pattern.compile("state_backend=rocksdb \\(auto: [0-9.]+ MiB after [0-9,]+ rows "
        + "> memory_budget 256\\.0 MiB\\)").matcher(output);
    assertTrue(choice.find(), "auto must have chosen rocksdb:\n" + output);
  }

  /** Quotes with price &gt; 100 whose instrumentId is a security's ID (&lt; R). */
  private static long expectedRows() {
    JobGraph g = new JobGraph("expected");
    g.addOperator(new StreamOperatorNode(OperatorType.SOURCE, "quotes",
        Map.of("generator", "quotes", "rows", N, "reference_rows", R)));
    g.addOperator(new StreamOperatorNode(OperatorType.FILTER, "expensive",
        Map.of("column", "price", "operator", ">", "value", 100)));
    g.addOperator(new StreamOperatorNode(OperatorType.FILTER, "known",
        Map.of("column", "instrumentId", "operator", "<", "value", R)));
    g.addOperator(new StreamOperatorNode(OperatorType.SINK, "out", Map.of("discard", true)));
    g.connect("quotes", "expensive");
    g.connect("expensive", "known");
    g.connect("known", "out");
    long rows = new JobManager(ExecutionOptions.defaults(), null).submitJob(g).summary().rowsOut();
    assertTrue(rows > N / 3, "the check itself must count rows: " + rows);
    return rows;
  }
}
