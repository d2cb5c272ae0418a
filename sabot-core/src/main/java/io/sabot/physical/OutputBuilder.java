package io.sabot.physical;

import io.sabot.types.ColumnType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Gathers the output columns of a frame into a new batch: the only place values are copied.
 * Each column is gathered by row index straight between Arrow buffers: fixed-width values as
 * 4/8-byte words, strings by sizing the data buffer first and copying the bytes once, or, for a
 * reference string column the {@link OutputLayout} dictionary-encodes, as the reference rows.
 */
final class OutputBuilder {
  private OutputBuilder() {}

  static VectorSchemaRoot build(Frame f, List<ColumnBinding> outputs, OutputLayout layout,
                                BufferAllocator allocator, Scratch scratch) {
    List<FieldVector> vectors = new ArrayList<>(outputs.size());
    byte[] complete = scratch.originFlags(f.rows.length);
    try {
      for (int i = 0; i < outputs.size(); i++) {
        ColumnBinding c = outputs.get(i);
        int origin = c.origin();
        FieldVector source = f.column(origin, c.index());
        int[] rows = f.rows(origin);
        // No nulls to carry: every row a real row and the column without nulls.
        boolean allValid = isComplete(complete, origin, rows, f.n) && !f.hasNulls(origin, c.index());
        if (layout.isEncoded(i)) {
          IntVector target = layout.newIndexVector(i, allocator);
          vectors.add(target);
          gatherIndexes(source, rows, f.n, allValid, target);
          continue;
        }
        FieldVector target = c.type().newVector(c.name(), allocator);
        vectors.add(target);
        gather(source, rows, f.n, allValid, c.type(), target, scratch);
      }
      VectorSchemaRoot root = new VectorSchemaRoot(vectors);
      root.setRowCount(f.n);
      return root;
    } catch (RuntimeException | Error e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
  }

  private static void gather(FieldVector src, int[] rows, int n, boolean allValid, ColumnType type,
                             FieldVector dst, Scratch scratch) {
    switch (type) {
      case STRING:
        gatherVariable((BaseVariableWidthVector) src, rows, n, allValid,
            (BaseVariableWidthVector) dst, scratch.longs(n));
        break;
      case BOOL:
        gatherBits(src, rows, n, dst);
        break;
      case INT32:
        gatherFixed((BaseFixedWidthVector) src, rows, n, allValid, (BaseFixedWidthVector) dst, 4);
        break;
      default:
        gatherFixed((BaseFixedWidthVector) src, rows, n, allValid, (BaseFixedWidthVector) dst, 8);
        break;
    }
  }

  /**
   * A dictionary-encoded column: the index of an output row is its reference row (the
   * dictionary is the reference column itself); null where no row matched or the value is null.
   */
  private static void gatherIndexes(FieldVector dictionary, int[] rows, int n, boolean allValid,
                                    IntVector dst) {
    dst.allocateNew(Math.max(n, 1));
    ArrowBuf dv = dst.getValidityBuffer();
    ArrowBuf dd = dst.getDataBuffer();
    if (allValid) {
      dv.setOne(0L, (long) ((n + 7) >>> 3));
      for (int i = 0; i < n; i++) dd.setInt((long) i << 2, rows[i]);
    } else {
      ArrowBuf sv = dictionary.getValidityBuffer();
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        if (r >= 0 && Gather.isValid(sv, r)) {
          dd.setInt((long) i << 2, r);
          BitVectorHelper.setBit(dv, i);
        }
      }
    }
    dst.setValueCount(n);
  }

  /**
   * True when every row of {@code origin} is a real row (no -1); looked at once per origin and
   * batch ({@code known}: 0 not yet, 1 complete, 2 not).
   */
  private static boolean isComplete(byte[] known, int origin, int[] rows, int n) {
    if (origin == 0) return true; // the stream's rows are always real rows
    if (known[origin] == 0) {
      int missing = 0;
      for (int i = 0; i < n; i++) missing |= rows[i];
      known[origin] = (byte) (missing >= 0 ? 1 : 2);
    }
    return known[origin] == 1;
  }

  private static void gatherFixed(BaseFixedWidthVector src, int[] rows, int n, boolean allValid,
                                  BaseFixedWidthVector dst, int width) {
    dst.allocateNew(Math.max(n, 1));
    ArrowBuf sv = src.getValidityBuffer();
    ArrowBuf sd = src.getDataBuffer();
    ArrowBuf dv = dst.getValidityBuffer();
    ArrowBuf dd = dst.getDataBuffer();
    if (allValid) {
      // No nulls to carry: mark every row valid at once, then copy without a test per row.
      dv.setOne(0L, (long) ((n + 7) >>> 3));
      if (width == 8) {
        for (int i = 0; i < n; i++) dd.setLong((long) i << 3, sd.getLong((long) rows[i] << 3));
      } else {
        for (int i = 0; i < n; i++) dd.setInt((long) i << 2, sd.getInt((long) rows[i] << 2));
      }
    } else if (width == 8) {
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        if (r >= 0 && Gather.isValid(sv, r)) {
          dd.setLong((long) i << 3, sd.getLong((long) r << 3));
          BitVectorHelper.setBit(dv, i);
        }
      }
    } else {
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        if (r >= 0 && Gather.isValid(sv, r)) {
          dd.setInt((long) i << 2, sd.getInt((long) r << 2));
          BitVectorHelper.setBit(dv, i);
        }
      }
    }
    dst.setValueCount(n);
  }

  private static void gatherBits(FieldVector src, int[] rows, int n, FieldVector dst) {
    ((BaseFixedWidthVector) dst).allocateNew(Math.max(n, 1));
    ArrowBuf sv = src.getValidityBuffer();
    ArrowBuf sd = src.getDataBuffer();
    ArrowBuf dv = dst.getValidityBuffer();
    ArrowBuf dd = dst.getDataBuffer();
    for (int i = 0; i < n; i++) {
      int r = rows[i];
      if (r >= 0 && Gather.isValid(sv, r)) {
        BitVectorHelper.setBit(dv, i);
        if (Gather.isValid(sd, r)) BitVectorHelper.setBit(dd, i);
      }
    }
    dst.setValueCount(n);
  }

  /**
   * Two passes: the first reads each value's offsets once (a random read into the reference
   * table's offsets) and keeps start and length in {@code spans}; the second copies the bytes
   * into a data buffer sized exactly. Two passes beat one on a large table: the offset reads of
   * the first pass do not wait on each other, nor the byte reads of the second, so the CPU keeps
   * many cache misses in flight (one pass was about 25% slower at R = 1M; BENCHMARKS.md). When
   * every row is a real row and the source has no nulls, the validity bits are set all at once.
   */
  private static void gatherVariable(BaseVariableWidthVector src, int[] rows, int n,
                                     boolean allValid, BaseVariableWidthVector dst, long[] spans) {
    ArrowBuf sv = src.getValidityBuffer();
    ArrowBuf so = src.getOffsetBuffer();
    ArrowBuf sd = src.getDataBuffer();
    long bytes = 0;
    if (allValid) {
      for (int i = 0; i < n; i++) {
        long r = rows[i];
        int start = so.getInt(r << 2);
        int len = so.getInt((r + 1) << 2) - start;
        spans[i] = ((long) start << 32) | len;
        bytes += len;
      }
    } else {
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        long span = -1; // null
        if (r >= 0 && Gather.isValid(sv, r)) {
          int start = so.getInt((long) r << 2);
          int len = so.getInt(((long) r + 1) << 2) - start;
          span = ((long) start << 32) | len;
          bytes += len;
        }
        spans[i] = span;
      }
    }
    dst.allocateNew(bytes + 8, Math.max(n, 1)); // 8 spare bytes: copy may write a word past the end
    ArrowBuf dv = dst.getValidityBuffer();
    ArrowBuf dOff = dst.getOffsetBuffer();
    ArrowBuf dd = dst.getDataBuffer();
    int end = 0;
    dOff.setInt(0, 0);
    if (allValid) {
      dv.setOne(0L, (long) ((n + 7) >>> 3));
      for (int i = 0; i < n; i++) {
        long span = spans[i];
        int len = (int) span;
        copy(sd, span >>> 32, dd, end, len);
        end += len;
        dOff.setInt(((long) i + 1) << 2, end);
      }
    } else {
      for (int i = 0; i < n; i++) {
        long span = spans[i];
        if (span >= 0) {
          int len = (int) span;
          copy(sd, span >>> 32, dd, end, len);
          end += len;
          BitVectorHelper.setBit(dv, i);
        }
        dOff.setInt(((long) i + 1) << 2, end);
      }
    }
    dst.setLastSet(n - 1);
    dst.setValueCount(n);
  }

  /**
   * Copies a value's bytes. Short values (names, codes: the usual reference columns) go in whole
   * 8-byte words, the last one running past the value: the bytes it writes beyond are
   * overwritten by the next value (the data buffer has 8 spare bytes at its end), and it reads
   * past the value only while that stays inside the source buffer. A bulk memory copy costs more
   * than the copy itself below a few dozen bytes.
   */
  private static void copy(ArrowBuf src, long from, ArrowBuf dst, long to, int len) {
    if (len > 32) {
      dst.setBytes(to, src, from, len);
      return;
    }
    if (from + len + 8 <= src.capacity()) {
      for (int i = 0; i < len; i += 8) dst.setLong(to + i, src.getLong(from + i));
      return;
    }
    int i = 0;
    for (; i + 8 <= len; i += 8) dst.setLong(to + i, src.getLong(from + i));
    for (; i < len; i++) dst.setByte(to + i, src.getByte(from + i));
  }
}
