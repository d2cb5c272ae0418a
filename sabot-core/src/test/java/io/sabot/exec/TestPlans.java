package io.sabot.exec;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ReadContext;
import io.sabot.connect.Source;
import io.sabot.connect.SourcePartition;
import io.sabot.plan.PhysicalPlan;
import io.sabot.plan.PipelinePlan;
import io.sabot.plan.SinkPlan;
import io.sabot.types.Schema;
import java.io.IOException;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** Plans whose stream source a test wraps, to watch or steer how the executor reads it. */
final class TestPlans {
  private TestPlans() {}

  /** How a wrapped partition opens its reader, given the real partition. */
  @FunctionalInterface
  interface Opener {
    BatchReader open(SourcePartition real, ReadContext context) throws IOException;
  }

  /** {@code plan} with its (first) sink's stream source replaced by {@code wrap} of it. */
  static PhysicalPlan withStreamSource(PhysicalPlan plan, UnaryOperator<Source> wrap) {
    SinkPlan s = plan.sinks().get(0);
    PipelinePlan p = s.stream();
    PipelinePlan stream = new PipelinePlan(p.sourceNode(), wrap.apply(p.source()), p.readColumns(),
        p.onError(), p.rejectsPath(), p.batchSize(), p.builds(), p.pipeline(), p.operators());
    return new PhysicalPlan(plan.graph(), List.of(new SinkPlan(s.sinkNode(), s.sink(), stream)),
        plan.schemas());
  }

  /** {@code source} with every partition opened through {@code opener}. */
  static Source openedBy(Source source, Opener opener) {
    return new Source() {
      @Override
      public Schema schema() {
        return source.schema();
      }

      @Override
      public List<SourcePartition> partitions() {
        return source.partitions().stream().map(p -> (SourcePartition) new SourcePartition() {
          @Override
          public String description() {
            return p.description();
          }

          @Override
          public BatchReader open(ReadContext context) throws IOException {
            return opener.open(p, context);
          }
        }).collect(Collectors.toList());
      }
    };
  }

  /**
   * Counts down {@code latch} and waits (20 s at most) until every party did: proof that the
   * executor had them under way at once. The IOException names {@code what} did not happen.
   */
  static void meet(java.util.concurrent.CountDownLatch latch, String what) throws IOException {
    latch.countDown();
    try {
      if (!latch.await(20, java.util.concurrent.TimeUnit.SECONDS)) throw new IOException(what);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
