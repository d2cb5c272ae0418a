package io.sabot.physical;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.testing.TestBatches;
import io.sabot.types.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Runs a fused pipeline over rows fed one row per batch, then all rows in one batch, then in
 * batches of 3, and checks all three give the same output (Hazelcast Jet's verifyProcessor idea).
 */
final class PipelineHarness {
  private PipelineHarness() {}

  static List<List<Object>> run(BufferAllocator allocator, FusedPipeline pipeline, Schema input,
                                Object[]... rows) {
    List<List<Object>> whole = runInBatches(allocator, pipeline, input, Math.max(rows.length, 1), rows);
    assertEquals(whole, runInBatches(allocator, pipeline, input, 1, rows), "one row per batch");
    assertEquals(whole, runInBatches(allocator, pipeline, input, 3, rows), "three rows per batch");
    return whole;
  }

  private static List<List<Object>> runInBatches(BufferAllocator allocator, FusedPipeline pipeline,
                                                 Schema input, int batchSize, Object[][] rows) {
    FusedPipeline.Worker worker = pipeline.newWorker();
    List<List<Object>> out = new ArrayList<>();
    for (int start = 0; start < Math.max(rows.length, 1); start += batchSize) {
      Object[][] part = Arrays.copyOfRange(rows, Math.min(start, rows.length),
          Math.min(start + batchSize, rows.length));
      try (VectorSchemaRoot batch = TestBatches.batch(allocator, input, part);
           VectorSchemaRoot result = worker.process(batch, allocator, true)) {
        assertEquals(worker.lastRowCount(), result.getRowCount());
        out.addAll(TestBatches.rows(result));
      }
    }
    return out;
  }

  /** Bindings for every column of a stream schema (origin 0). */
  static List<ColumnBinding> streamColumns(Schema schema) {
    List<ColumnBinding> out = new ArrayList<>();
    for (int i = 0; i < schema.size(); i++) {
      out.add(new ColumnBinding(schema.field(i).name(), 0, i, schema.field(i).type()));
    }
    return out;
  }
}
