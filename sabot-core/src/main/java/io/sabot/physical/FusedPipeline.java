package io.sabot.physical;

import io.sabot.reference.ReferenceStore;
import io.sabot.reference.ReferenceTable;
import io.sabot.types.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The stream side of a job lowered to one pass per batch:
 *
 * <pre>
 *   stream batch ─► filter ─► probe ref 1 ─► filter ─► probe ref 2 ─► gather outputs ─► sink
 *                   (only row numbers move between steps; values are copied once, at the end)
 * </pre>
 *
 * Shared by all workers; each worker processes batches with its own {@link Worker}.
 */
public final class FusedPipeline {
  private final List<PipelineStep> steps;
  private final List<ColumnBinding> outputs;
  private final int origins;

  public FusedPipeline(List<PipelineStep> steps, List<ColumnBinding> outputs, int origins) {
    this.steps = List.copyOf(steps);
    this.outputs = List.copyOf(outputs);
    this.origins = origins;
  }

  public Schema outputSchema() {
    return new Schema(outputs.stream().map(ColumnBinding::field).collect(Collectors.toList()));
  }

  public List<ColumnBinding> outputs() {
    return outputs;
  }

  /**
   * Whether a batch of {@code input}'s columns comes out exactly as it went in: no step but the
   * counters of a SELECT, and every input column in order under its own name (a reference input
   * whose SELECT the optimizer pushed into the source). The caller may then take the batch
   * itself as the output, without copying its values, and {@link #countPassedThrough} its rows.
   */
  public boolean passesThrough(Schema input) {
    for (PipelineStep s : steps) {
      if (!(s instanceof CountingExec)) return false; // a SELECT's counter moves no data
    }
    if (outputs.size() != input.size()) return false;
    for (int i = 0; i < outputs.size(); i++) {
      ColumnBinding b = outputs.get(i);
      if (b.origin() != 0 || b.index() != i || !b.name().equals(input.field(i).name())) return false;
    }
    return true;
  }

  /**
   * Counts {@code rows} taken as they are, without running this pipeline
   * ({@link #passesThrough}), on its counting steps: a SELECT's summary still counts them.
   */
  public void countPassedThrough(long rows) {
    for (PipelineStep s : steps) {
      if (s instanceof CountingExec counter) counter.count(rows);
    }
  }

  public List<HashJoinExec> joins() {
    List<HashJoinExec> out = new ArrayList<>();
    for (PipelineStep s : steps) if (s instanceof HashJoinExec) out.add((HashJoinExec) s);
    return out;
  }

  /** Column {@code index} of the table joined as {@code origin} (attached before the first batch). */
  FieldVector referenceColumn(int origin, int index) {
    for (HashJoinExec join : joins()) {
      if (join.refOrigin() == origin) return join.table().column(index);
    }
    throw new IllegalArgumentException("no join fills origin " + origin);
  }

  /** A worker's state; create one per thread after every join has its table attached. */
  public Worker newWorker() {
    FieldVector[][] columns = new FieldVector[origins][];
    ReferenceTable[] tables = new ReferenceTable[origins];
    List<HashJoinExec> stored = new ArrayList<>();
    for (HashJoinExec join : joins()) {
      if (join.store() != null) {
        stored.add(join); // bound per batch, by its lookups
        continue;
      }
      var table = join.table();
      FieldVector[] refColumns = new FieldVector[table.schema().size()];
      for (int i = 0; i < refColumns.length; i++) refColumns[i] = table.column(i);
      columns[join.refOrigin()] = refColumns;
      tables[join.refOrigin()] = table;
    }
    Frame frame = new Frame(columns, tables);
    for (HashJoinExec join : stored) frame.readers[join.refOrigin()] = join.store().newReader();
    return new Worker(frame, new Scratch(), joins());
  }

  /** Per-thread frame and scratch buffers. */
  public final class Worker {
    private final Frame frame;
    private final Scratch scratch;
    private final List<HashJoinExec> joins;

    private Worker(Frame frame, Scratch scratch, List<HashJoinExec> joins) {
      this.frame = frame;
      this.scratch = scratch;
      this.joins = joins;
    }

    /**
     * Runs every step over the batch (which the caller still owns and closes) and returns the
     * output batch (owned by the caller), or null when {@code buildOutput} is false; then
     * {@link #lastRowCount()} tells how many rows came out.
     */
    public VectorSchemaRoot process(VectorSchemaRoot batch, BufferAllocator allocator,
                                    boolean buildOutput) {
      return process(batch, allocator, buildOutput ? OutputLayout.plain() : null);
    }

    /**
     * Runs every step over the batch (which the caller still owns and closes) and returns the
     * output batch in {@code layout} (owned by the caller), or null when {@code layout} is null
     * (no output wanted); then {@link #lastRowCount()} tells how many rows came out.
     */
    public VectorSchemaRoot process(VectorSchemaRoot batch, BufferAllocator allocator,
                                    OutputLayout layout) {
      frame.reset(batch);
      frame.allocator = allocator;
      try {
        for (PipelineStep step : steps) step.apply(frame, scratch);
        return layout == null ? null : OutputBuilder.build(frame, outputs, layout, allocator, scratch);
      } finally {
        frame.releaseLookups();
      }
    }

    /**
     * As {@link #process(VectorSchemaRoot, BufferAllocator, OutputLayout)}, probing {@code versions}
     * (one per join, in {@link #joins()} order): the versions of live reference tables pinned for
     * this batch, so the whole batch sees one consistent version of each table.
     */
    public VectorSchemaRoot process(VectorSchemaRoot batch, BufferAllocator allocator,
                                    OutputLayout layout, ReferenceTable[] versions) {
      for (int j = 0; j < versions.length; j++) {
        int origin = joins.get(j).refOrigin();
        // null: a stored table, bound batch by batch by its lookups
        if (versions[j] != null && frame.tables[origin] != versions[j]) frame.bind(origin, versions[j]);
      }
      return process(batch, allocator, layout);
    }

    /**
     * As {@link #process(VectorSchemaRoot, BufferAllocator, OutputLayout, ReferenceTable[])}, with
     * {@code views} (one per join, null for none): the versions of live tables kept in a store,
     * pinned for this batch, which its lookups read.
     */
    public VectorSchemaRoot process(VectorSchemaRoot batch, BufferAllocator allocator,
                                    OutputLayout layout, ReferenceTable[] versions,
                                    ReferenceStore.View[] views) {
      if (views == null) return process(batch, allocator, layout, versions);
      for (int j = 0; j < views.length; j++) frame.views[joins.get(j).refOrigin()] = views[j];
      try {
        return process(batch, allocator, layout, versions);
      } finally {
        java.util.Arrays.fill(frame.views, null);
      }
    }

    public int lastRowCount() {
      return frame.n;
    }
  }
}
