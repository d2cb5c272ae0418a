package io.sabot.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.connect.BatchReader;
import io.sabot.graph.JobFile;
import io.sabot.plan.JobPlanner;
import io.sabot.plan.PhysicalPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader that hands out undecoded input ({@link BatchReader#nextUndecoded}) has it decoded on
 * the workers, several at once, though its one partition is read by one worker at a time; the
 * output keeps the input's order.
 */
class ParallelDecodeTest {
  @TempDir Path dir;

  @Test
  void shouldDecodeTwoBatchesOfOnePartitionAtOnceAndKeepTheirOrder() throws Exception {
    StringBuilder csv = new StringBuilder("id\n");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      csv.append(i).append('\n');
      expected.add(Integer.toString(i));
    }
    Files.writeString(dir.resolve("in.csv"), csv);
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, String.join("\n",
        "job_name: decode",
        "operators:",
        "  - {name: in, type: SOURCE, parameters: {path: in.csv, batch_size: 100}}",
        "  - {name: out, type: SINK, parameters: {path: out.csv}}",
        "connect: [[in, out]]"));
    Set<String> decoders = ConcurrentHashMap.newKeySet();
    CountDownLatch both = new CountDownLatch(2);
    PhysicalPlan parallel = TestPlans.withStreamSource(JobPlanner.plan(JobFile.load(job)),
        file -> TestPlans.openedBy(file, (p, context) ->
            new TwoDecodesAtOnce(p.open(context), both, decoders)));

    JobSummary summary = new LocalExecutor(new ExecutionOptions(2, 1L << 30, null,
        Duration.ofMillis(20), new StopSignal())).run(parallel);

    assertEquals(5_000, summary.streamRowsIn());
    assertEquals(5_000, summary.rowsOut());
    assertEquals(2, decoders.size(), "decoding threads: " + decoders);
    List<String> written = Files.readAllLines(dir.resolve("out.csv"));
    assertEquals(expected, written.subList(1, written.size()));
  }

  /**
   * A reader whose first two inputs finish decoding only once both are being decoded: a
   * pipeline decoding on one thread would wait forever on the first (the job fails instead).
   */
  private static final class TwoDecodesAtOnce implements BatchReader {
    private final BatchReader inner;
    private final CountDownLatch both;
    private final Set<String> threads;
    private final AtomicInteger handedOut = new AtomicInteger();

    TwoDecodesAtOnce(BatchReader inner, CountDownLatch both, Set<String> threads) {
      this.inner = inner;
      this.both = both;
      this.threads = threads;
    }

    @Override
    public VectorSchemaRoot next() throws IOException {
      return inner.next();
    }

    @Override
    public Undecoded nextUndecoded() throws IOException {
      VectorSchemaRoot batch = inner.next();
      if (batch == null) return null;
      boolean wait = handedOut.incrementAndGet() <= 2;
      Undecoded decoded = new Undecoded.Decoded(batch);
      return new Undecoded() {
        @Override
        public VectorSchemaRoot decode() throws IOException {
          threads.add(Thread.currentThread().getName());
          if (wait) TestPlans.meet(both, "the first two batches were not decoded at the same time");
          return decoded.decode();
        }

        @Override
        public void close() {
          decoded.close();
        }
      };
    }

    @Override
    public void close() throws IOException {
      inner.close();
    }
  }
}
