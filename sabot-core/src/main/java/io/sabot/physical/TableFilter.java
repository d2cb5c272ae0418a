package io.sabot.physical;

import io.sabot.reference.ReferenceTable;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Evaluates a HASH_JOIN's {@code reference_filter} on its built table, once: the table's rows go
 * through the same filter kernels as a stream batch, as one frame.
 */
public final class TableFilter {
  private TableFilter() {}

  /** keep[row] is true for the table rows the filter accepts. */
  public static boolean[] keep(RowFilter filter, ReferenceTable table) {
    FieldVector[] columns = new FieldVector[table.schema().size()];
    for (int i = 0; i < columns.length; i++) columns[i] = table.column(i);
    return keep(filter, columns, table.rowCount());
  }

  /** keep[row] is true for the rows of {@code batch} the filter accepts (a store's input batch). */
  public static boolean[] keep(RowFilter filter, VectorSchemaRoot batch) {
    return keep(filter, batch.getFieldVectors().toArray(new FieldVector[0]), batch.getRowCount());
  }

  private static boolean[] keep(RowFilter filter, FieldVector[] columns, int n) {
    Frame frame = new Frame(new FieldVector[1][], new ReferenceTable[1]);
    frame.reset(columns, n);
    Scratch scratch = new Scratch();
    int[] selected = scratch.selection(n);
    int k = filter.select(frame, scratch.identity(n), n, selected, scratch);
    boolean[] keep = new boolean[n];
    for (int j = 0; j < k; j++) keep[selected[j]] = true;
    return keep;
  }
}
