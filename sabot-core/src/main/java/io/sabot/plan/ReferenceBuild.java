package io.sabot.plan;

import io.sabot.graph.OnDuplicate;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.physical.HashJoinExec;
import io.sabot.physical.RowFilter;
import io.sabot.physical.TableFilter;
import io.sabot.reference.LiveTable;
import io.sabot.reference.ReferenceTable;
import io.sabot.types.Schema;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A join's reference side: the pipeline whose rows become the table, how it is keyed, and the
 * join's {@code reference_filter} (null: none), applied to the table once duplicates are resolved.
 */
public record ReferenceBuild(
    StreamOperatorNode join,
    PipelinePlan input,
    int[] keyColumns,
    OnDuplicate onDuplicate,
    RowFilter referenceFilter,
    HashJoinExec probe) {

  /** Builds the table from all its rows (taking ownership of them) and applies the filter. */
  public ReferenceTable buildTable(Schema schema, VectorSchemaRoot rows) {
    ReferenceTable table = ReferenceTable.build(join.name(), schema, rows, keyColumns, onDuplicate);
    if (referenceFilter != null) {
      try {
        table.keepOnly(TableFilter.keep(referenceFilter, table));
      } catch (RuntimeException | Error e) {
        table.close();
        throw e;
      }
    }
    return table;
  }

  /**
   * Builds a table that takes changes in place ({@link LiveTable}) from all its rows (taking
   * ownership of the batches), with room for {@code room} rows added by changes; the filter
   * applies to its rows and to every row added later.
   */
  public LiveTable buildLiveTable(Schema schema, List<VectorSchemaRoot> batches, int room,
                                  BufferAllocator allocator) {
    LiveTable.Visibility visibility = referenceFilter == null ? null
        : batch -> TableFilter.keep(referenceFilter, batch);
    return LiveTable.build(join.name(), schema, batches, keyColumns, onDuplicate, visibility, room,
        allocator);
  }
}
