package io.sabot.exec;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ChangelogSource;
import io.sabot.connect.ReadContext;
import io.sabot.connect.ReferenceFeed;
import io.sabot.connect.SourcePartition;
import io.sabot.plan.PhysicalPlan;
import io.sabot.plan.PipelinePlan;
import io.sabot.plan.ReferenceBuild;
import io.sabot.plan.SinkPlan;
import io.sabot.types.Schema;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A changelog for tests, without Kafka: rows keyed by a long (the changelog key), each row one
 * value per column of {@code schema} (int64 as Long, strings as String, null for null), given
 * whole at open and then changed one {@link Step} per poll (the executor polls once before each
 * stream batch, so batch k sees the first k + 1 steps). With {@code tellsChanges} false it
 * answers {@link ReferenceFeed#changes()} with null, so the executor rebuilds the table at each
 * change: the same steps both ways must give the same rows.
 */
public final class SteppedChangelog implements ChangelogSource {
  /** One step of the changelog: upserts (changelog key -> row) and deleted changelog keys. */
  public record Step(Map<Long, Object[]> upserts, List<Long> deletes) {
    boolean isEmpty() {
      return upserts.isEmpty() && deletes.isEmpty();
    }

    void applyTo(Map<Long, Object[]> rows) {
      deletes.forEach(rows::remove);
      rows.putAll(upserts);
    }
  }

  private final Schema schema;
  private final Map<Long, Object[]> initial;
  private final List<Step> steps;
  private final boolean tellsChanges;
  /** The poll that fails (the changelog cannot be read), counted from 1; 0: none. */
  private final int failingPoll;

  public SteppedChangelog(Schema schema, Map<Long, Object[]> initial, List<Step> steps,
                          boolean tellsChanges) {
    this(schema, initial, steps, tellsChanges, 0);
  }

  /** As the changelog above, but its poll number {@code failingPoll} throws an IOException. */
  public SteppedChangelog(Schema schema, Map<Long, Object[]> initial, List<Step> steps,
                          boolean tellsChanges, int failingPoll) {
    this.schema = schema;
    this.initial = initial;
    this.steps = steps;
    this.tellsChanges = tellsChanges;
    this.failingPoll = failingPoll;
  }

  /**
   * {@code plan} with the reference input of each join of its first sink read from {@code source}
   * instead (the job file names a placeholder file with the same columns).
   */
  public static PhysicalPlan withReference(PhysicalPlan plan, ChangelogSource source) {
    SinkPlan sink = plan.sinks().get(0);
    PipelinePlan stream = sink.stream();
    List<ReferenceBuild> builds = new ArrayList<>();
    for (ReferenceBuild b : stream.builds()) {
      PipelinePlan in = b.input();
      PipelinePlan live = new PipelinePlan(in.sourceNode(), source, in.readColumns(), in.onError(),
          in.rejectsPath(), in.batchSize(), in.builds(), in.pipeline(), in.operators());
      builds.add(new ReferenceBuild(b.join(), live, b.keyColumns(), b.onDuplicate(),
          b.referenceFilter(), b.probe()));
    }
    PipelinePlan withLive = new PipelinePlan(stream.sourceNode(), stream.source(),
        stream.readColumns(), stream.onError(), stream.rejectsPath(), stream.batchSize(), builds,
        stream.pipeline(), stream.operators());
    return new PhysicalPlan(plan.graph(), List.of(new SinkPlan(sink.sinkNode(), sink.sink(), withLive)),
        plan.schemas());
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public List<SourcePartition> partitions() {
    // a test double for the reference side: read as a stream, the test itself is wrong
    throw new AssertionError("a stepped changelog is only a join's reference input, never a stream");
  }

  @Override
  public String describe() {
    return "a stepped changelog";
  }

  @Override
  public ReferenceFeed openFeed(ReadContext context) {
    return new ReferenceFeed() {
      private final Map<Long, Object[]> rows = new HashMap<>(initial);
      private Map<Long, Object[]> told = new HashMap<>(rows);
      private int applied;
      private int polls;

      @Override
      public BatchReader snapshot() {
        told = new HashMap<>(rows);
        return reader(context, new TreeMap<>(rows));
      }

      @Override
      public boolean poll() throws IOException {
        if (++polls == failingPoll) throw new IOException("the stepped changelog broke at poll " + polls);
        if (applied == steps.size()) return false;
        Step step = steps.get(applied++);
        step.applyTo(rows);
        return !step.isEmpty();
      }

      @Override
      public Changes changes() {
        if (!tellsChanges) return null;
        Map<Long, Object[]> removed = new TreeMap<>();
        Map<Long, Object[]> added = new TreeMap<>();
        for (Map.Entry<Long, Object[]> e : told.entrySet()) {
          Object[] now = rows.get(e.getKey());
          if (now == null || !Arrays.equals(now, e.getValue())) removed.put(e.getKey(), e.getValue());
        }
        for (Map.Entry<Long, Object[]> e : rows.entrySet()) {
          Object[] then = told.get(e.getKey());
          if (then == null || !Arrays.equals(then, e.getValue())) added.put(e.getKey(), e.getValue());
        }
        told = new HashMap<>(rows);
        return new Changes(reader(context, removed), reader(context, added));
      }

      @Override
      public Map<String, Object> stats() {
        return new LinkedHashMap<>(Map.of("steps_applied", (long) applied));
      }

      @Override
      public void close() {}
    };
  }

  /** The rows as one batch of the context's columns. */
  private BatchReader reader(ReadContext context, Map<Long, Object[]> rows) {
    return new BatchReader() {
      private boolean done;

      @Override
      public VectorSchemaRoot next() {
        if (done) return null;
        done = true;
        Schema columns = context.columns();
        VectorSchemaRoot b = columns.newBatch(context.allocator());
        b.allocateNew();
        int i = 0;
        for (Object[] row : rows.values()) {
          for (int c = 0; c < columns.size(); c++) {
            set(b.getVector(c), i, row[schema.indexOf(columns.field(c).name())]);
          }
          i++;
        }
        b.setRowCount(i);
        return b;
      }

      @Override
      public void close() {}
    };
  }

  private static void set(FieldVector v, int row, Object value) {
    if (value == null) {
      v.setNull(row);
    } else if (v instanceof BigIntVector) {
      ((BigIntVector) v).setSafe(row, (Long) value);
    } else if (v instanceof VarCharVector) {
      ((VarCharVector) v).setSafe(row, ((String) value).getBytes(StandardCharsets.UTF_8));
    } else {
      throw new AssertionError("a stepped changelog holds int64 and string columns, not " + v.getField());
    }
  }
}
