package io.sabot.reference;

import io.sabot.types.Schema;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.VectorBatchAppender;

/** Copying a reference table's rows into one batch, with room after them. */
public final class Columns {
  private Columns() {}

  /**
   * A new batch holding every row of {@code batches}, in order, allocated once at its final size
   * (rows, and string bytes, counted first: no buffer grows while it is filled), with room for
   * {@code room} more rows after them (and, for strings, twice the average length a row). The
   * batches are left as they are, for the caller to close; on failure nothing is left allocated.
   */
  public static VectorSchemaRoot concatenate(List<VectorSchemaRoot> batches, Schema schema,
                                             int room, BufferAllocator allocator) {
    int rows = 0;
    for (VectorSchemaRoot b : batches) rows += b.getRowCount();
    VectorSchemaRoot all = schema.newBatch(allocator);
    try {
      for (int c = 0; c < all.getFieldVectors().size(); c++) {
        FieldVector target = all.getVector(c);
        FieldVector[] parts = new FieldVector[batches.size()];
        for (int i = 0; i < parts.length; i++) parts[i] = batches.get(i).getVector(c);
        long bytes = 0;
        if (target instanceof BaseVariableWidthVector) {
          for (FieldVector p : parts) bytes += ((BaseVariableWidthVector) p).sizeOfValueBuffer();
        }
        allocate(target, rows, bytes, room);
        if (parts.length > 0) VectorBatchAppender.batchAppend(target, parts);
      }
      all.setRowCount(rows);
      return all;
    } catch (RuntimeException | Error e) {
      all.close();
      throw e;
    }
  }

  /**
   * A new batch holding rows {@code rows[0..n)} of {@code from}, in that order, allocated once
   * (string bytes counted first), with room for {@code room} more rows after them, as
   * {@link #concatenate} leaves. Reads only the rows named.
   */
  public static VectorSchemaRoot gather(VectorSchemaRoot from, int[] rows, int n, Schema schema,
                                        int room, BufferAllocator allocator) {
    VectorSchemaRoot out = schema.newBatch(allocator);
    try {
      for (int c = 0; c < out.getFieldVectors().size(); c++) {
        FieldVector target = out.getVector(c);
        FieldVector source = from.getVector(c);
        long bytes = 0;
        if (target instanceof BaseVariableWidthVector) {
          ArrowBuf offsets = source.getOffsetBuffer(); // spans, null rows' too: they are copied
          long w = BaseVariableWidthVector.OFFSET_WIDTH;
          for (int i = 0; i < n; i++) {
            bytes += offsets.getInt((rows[i] + 1) * w) - offsets.getInt(rows[i] * w);
          }
        }
        allocate(target, n, bytes, room);
        if (target instanceof BaseVariableWidthVector) target.getOffsetBuffer().setInt(0, 0);
        copyRuns(source, rows, target, null, n);
        target.setValueCount(n);
      }
      out.setRowCount(n);
      return out;
    } catch (RuntimeException | Error e) {
      out.close();
      throw e;
    }
  }

  /**
   * Allocates {@code target} once for {@code rows} rows ({@code bytes} of string bytes) and
   * {@code room} more (strings: twice the rows' average length each, at least 16 bytes).
   */
  private static void allocate(FieldVector target, int rows, long bytes, int room) {
    int capacity = Math.max(1, rows + room);
    if (target instanceof BaseVariableWidthVector) {
      long perRow = room == 0 ? 0 : Math.max(16, 2 * bytes / Math.max(1, rows));
      ((BaseVariableWidthVector) target).allocateNew(Math.max(1, bytes + perRow * room), capacity);
    } else if (target instanceof BaseFixedWidthVector) {
      ((BaseFixedWidthVector) target).allocateNew(capacity);
    } else {
      target.setInitialCapacity(capacity);
      target.allocateNew();
    }
  }

  /**
   * Row i of {@code from} into row {@code at[i]} of {@code to} (none for -1), for i &lt; n, within
   * {@code to}'s capacity (rows, and string bytes: every span copied, null rows' too). Rows named
   * by {@code at} come after every row {@code to} holds, in increasing order: a string row starts
   * where the row before it ends. The rows a live table's step adds go to consecutive rows, so as
   * in {@link #gather} a run's values are copied with one memory copy, and only the validity bits
   * (and string offsets) row by row: a generic copy a value cost more than the rest of the step.
   */
  public static void scatter(FieldVector from, int[] at, int n, FieldVector to) {
    copyRuns(from, null, to, at, n);
  }

  /**
   * For i &lt; n: row {@code fromRows[i]} of {@code from} into row {@code toRows[i]} of {@code to}
   * (a null array: row i; a target row -1: none), the target rows increasing and after every row
   * {@code to} holds (a string row starts where the row before it ends). The rows a compaction
   * keeps, and those a step adds, come mostly in long runs of consecutive rows, so the values of
   * a run are copied with one memory copy (strings: their bytes, and offsets rebased), and only
   * the validity bits row by row.
   */
  private static void copyRuns(FieldVector from, int[] fromRows, FieldVector to, int[] toRows,
                               int n) {
    boolean fixed = from instanceof BaseFixedWidthVector && !(from instanceof BitVector);
    if (!fixed && !(from instanceof BaseVariableWidthVector)) {
      for (int i = 0; i < n; i++) {
        if (row(toRows, i) >= 0) to.copyFrom(row(fromRows, i), row(toRows, i), from);
      }
      return;
    }
    ArrowBuf fromValidity = from.getValidityBuffer();
    ArrowBuf toValidity = to.getValidityBuffer();
    for (int i = 0; i < n; i++) {
      if (row(toRows, i) < 0) continue;
      BitVectorHelper.setValidityBit(toValidity, row(toRows, i),
          BitVectorHelper.get(fromValidity, row(fromRows, i)));
    }
    ArrowBuf fromData = from.getDataBuffer();
    ArrowBuf toData = to.getDataBuffer();
    long width = fixed ? ((BaseFixedWidthVector) from).getTypeWidth() : 0;
    ArrowBuf fromOffsets = fixed ? null : from.getOffsetBuffer();
    ArrowBuf toOffsets = fixed ? null : to.getOffsetBuffer();
    long w = BaseVariableWidthVector.OFFSET_WIDTH;
    int lastRow = -1;
    for (int i = 0; i < n; ) {
      int target = row(toRows, i);
      if (target < 0) {
        i++;
        continue;
      }
      int source = row(fromRows, i);
      int run = runLength(fromRows, toRows, i, n);
      if (fixed) {
        toData.setBytes(target * width, fromData, source * width, run * width);
      } else {
        int first = fromOffsets.getInt(source * w);
        int last = fromOffsets.getInt((source + run) * w);
        int start = toOffsets.getInt(target * w);
        toData.setBytes(start, fromData, first, last - first);
        for (int k = 1; k <= run; k++) {
          toOffsets.setInt((target + k) * w, start + fromOffsets.getInt((source + k) * w) - first);
        }
      }
      lastRow = target + run - 1;
      i += run;
    }
    if (!fixed && lastRow >= 0) ((BaseVariableWidthVector) to).setLastSet(lastRow);
  }

  /** {@code rows[i]}, or i when {@code rows} is null. */
  private static int row(int[] rows, int i) {
    return rows == null ? i : rows[i];
  }

  /** How many rows from i on are consecutive in both {@code fromRows} and {@code toRows}. */
  private static int runLength(int[] fromRows, int[] toRows, int i, int n) {
    int from = row(fromRows, i);
    int to = row(toRows, i);
    int run = 1;
    while (i + run < n && row(fromRows, i + run) == from + run && row(toRows, i + run) == to + run) {
      run++;
    }
    return run;
  }
}
