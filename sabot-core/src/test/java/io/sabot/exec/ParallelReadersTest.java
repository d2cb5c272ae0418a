package io.sabot.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.graph.JobFile;
import io.sabot.plan.JobPlanner;
import io.sabot.plan.PhysicalPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder of files is decoded by as many readers as the job has threads, at the same time, and
 * the output is still in the order one reader gives (file after file, in natural order), which a
 * reference table's {@code on_duplicate: last} depends on.
 */
class ParallelReadersTest {
  @TempDir Path dir;

  @Test
  void shouldDecodeTwoFilesAtOnceAndKeepTheOrderOfOneReader() throws Exception {
    Files.createDirectories(dir.resolve("quotes"));
    List<String> expected = new ArrayList<>();
    for (int f = 1; f <= 4; f++) {
      StringBuilder csv = new StringBuilder("id,file\n");
      for (int i = 0; i < 3_000; i++) {
        csv.append(f * 10_000 + i).append(',').append(f).append('\n');
        expected.add((f * 10_000 + i) + "," + f);
      }
      Files.writeString(dir.resolve("quotes/part-" + f + ".csv"), csv);
    }
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, String.join("\n",
        "job_name: folder",
        "operators:",
        "  - {name: quotes, type: SOURCE, parameters: {path: quotes, batch_size: 500}}",
        "  - {name: out, type: SINK, parameters: {path: out.csv}}",
        "connect: [[quotes, out]]"));
    Set<String> readerThreads = ConcurrentHashMap.newKeySet();
    CountDownLatch twoOpen = new CountDownLatch(2);
    PhysicalPlan parallel = TestPlans.withStreamSource(JobPlanner.plan(JobFile.load(job)),
        files -> TestPlans.openedBy(files, (p, context) -> {
          readerThreads.add(Thread.currentThread().getName());
          // a single reader would wait for the second file while opening the first
          TestPlans.meet(twoOpen, "the first two files were not opened at the same time");
          return p.open(context);
        }));

    JobSummary summary = new LocalExecutor(new ExecutionOptions(2, 1L << 30, null,
        Duration.ofMillis(20), new StopSignal())).run(parallel);

    assertEquals(12_000, summary.rowsOut());
    assertEquals(2, readerThreads.size(), "reader threads: " + readerThreads);
    List<String> written = Files.readAllLines(dir.resolve("out.csv"));
    assertEquals("id,file", written.get(0));
    assertEquals(expected, written.subList(1, written.size()));
  }

}
