package io.sabot.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ReadContext;
import io.sabot.connect.Source;
import io.sabot.connect.SourcePartition;
import io.sabot.graph.JobFile;
import io.sabot.plan.JobPlanner;
import io.sabot.plan.PhysicalPlan;
import io.sabot.plan.PipelinePlan;
import io.sabot.plan.SinkPlan;
import io.sabot.types.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
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
    PhysicalPlan plan = JobPlanner.plan(JobFile.load(job));
    SinkPlan s = plan.sinks().get(0);
    PipelinePlan p = s.stream();
    Set<String> decoders = ConcurrentHashMap.newKeySet();
    Source slow = new TwoDecodesAtOnce(p.source(), new CountDownLatch(2), decoders);
    PipelinePlan stream = new PipelinePlan(p.sourceNode(), slow, p.readColumns(), p.onError(),
        p.rejectsPath(), p.batchSize(), p.builds(), p.pipeline(), p.operators());
    PhysicalPlan parallel = new PhysicalPlan(plan.graph(),
        List.of(new SinkPlan(s.sinkNode(), s.sink(), stream)), plan.schemas());

    JobSummary summary = new LocalExecutor(new ExecutionOptions(2, 1L << 30, null,
        Duration.ofMillis(20), new StopSignal())).run(parallel);

    assertEquals(5_000, summary.streamRowsIn());
    assertEquals(5_000, summary.rowsOut());
    assertEquals(2, decoders.size(), "decoding threads: " + decoders);
    List<String> written = Files.readAllLines(dir.resolve("out.csv"));
    assertEquals(expected, written.subList(1, written.size()));
  }

  /**
   * Its one partition's first two inputs finish decoding only once both are being decoded: a
   * pipeline decoding on one thread would wait forever on the first (the job fails instead).
   */
  private record TwoDecodesAtOnce(Source file, CountDownLatch both, Set<String> threads)
      implements Source {
    @Override
    public Schema schema() {
      return file.schema();
    }

    @Override
    public List<SourcePartition> partitions() {
      return file.partitions().stream().map(p -> (SourcePartition) new SourcePartition() {
        @Override
        public String description() {
          return p.description();
        }

        @Override
        public BatchReader open(ReadContext context) throws IOException {
          BatchReader inner = p.open(context);
          AtomicInteger handedOut = new AtomicInteger();
          return new BatchReader() {
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
                  if (wait) await();
                  return decoded.decode();
                }

                @Override
                public void close() {
                  decoded.close();
                }
              };
            }

            private void await() throws IOException {
              both.countDown();
              try {
                if (!both.await(20, TimeUnit.SECONDS)) {
                  throw new IOException("the first two batches were not decoded at the same time");
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
              }
            }

            @Override
            public void close() throws IOException {
              inner.close();
            }
          };
        }
      }).collect(Collectors.toList());
    }
  }
}
