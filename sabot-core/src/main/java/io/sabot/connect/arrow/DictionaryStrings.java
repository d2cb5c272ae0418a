package io.sabot.connect.arrow;

import java.io.IOException;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Turns a dictionary-encoded string column (pyarrow's categoricals, an {@link ArrowIpcSink} with
 * {@code strings: dictionary}) back into plain strings, since Sabot's {@code string} is a plain
 * utf8 column. Each row's index picks its value from the dictionary the stream holds at that
 * batch: a stream may replace a dictionary between batches, and the reader keeps the latest.
 *
 * <pre>
 *   indices (any integer type)   [2, 0, null, 2]
 *   dictionary (utf8/large_utf8) 0 "Acme"  1 "Beta"  2 "Zeta"
 *   decoded (utf8)               ["Zeta", "Acme", null, "Zeta"]
 * </pre>
 *
 * Two passes, as in the output gather: the first checks every index and sums the bytes, so the
 * second copies into a data buffer sized exactly and a bad index fails before anything is built.
 */
final class DictionaryStrings {
  private DictionaryStrings() {}

  /** Whether a dictionary of {@code valueType} decodes to a Sabot string. */
  static boolean holdsStrings(ArrowType valueType) {
    return valueType instanceof ArrowType.Utf8 || valueType instanceof ArrowType.LargeUtf8;
  }

  /**
   * A new utf8 vector named {@code name}, owned by the caller, with the value of each index.
   * IOException naming {@code name} when an index falls outside the dictionary (a stream that
   * sent no dictionary, or a shorter one, before this batch).
   */
  static VarCharVector decode(FieldVector indices, Dictionary dictionary, String name,
                              BufferAllocator allocator) throws IOException {
    FieldVector values = dictionary.getVector();
    if (!(indices instanceof BaseIntVector) || !holdsStrings(values.getField().getType())) {
      throw new IllegalArgumentException("Internal error: column=" + name + " is not integer "
          + "indexes into strings; this is a bug in Sabot; please report it");
    }
    BaseIntVector index = (BaseIntVector) indices;
    int n = indices.getValueCount();
    int size = values.getValueCount();
    int offsetWidth = values instanceof LargeVarCharVector ? 8 : 4;
    ArrowBuf offsets = values.getOffsetBuffer();
    long bytes = 0;
    for (int i = 0; i < n; i++) {
      if (indices.isNull(i)) continue;
      long k = index.getValueAsLong(i);
      if (k < 0 || k >= size) {
        throw new IOException("column=" + name + " row=" + i + " holds index " + k + " but its "
            + "dictionary id=" + dictionary.getEncoding().getId() + " has " + size + " values; "
            + "the stream must send the dictionary before the batches that use it");
      }
      if (!values.isNull((int) k)) bytes += end(offsets, offsetWidth, k) - start(offsets, offsetWidth, k);
    }
    if (bytes > Integer.MAX_VALUE) {
      throw new IOException("column=" + name + " decodes to " + bytes + " bytes in one batch, "
          + "more than a string column holds (2 GiB); write the file in smaller batches");
    }
    VarCharVector out = new VarCharVector(name, allocator);
    try {
      copy(index, values, offsets, offsetWidth, out, n, (int) bytes);
      return out;
    } catch (RuntimeException | Error e) {
      out.close();
      throw e;
    }
  }

  private static void copy(BaseIntVector index, FieldVector values, ArrowBuf offsets,
                           int offsetWidth, VarCharVector out, int n, int bytes) {
    out.allocateNew(Math.max(bytes, 1), Math.max(n, 1));
    ArrowBuf data = values.getDataBuffer();
    ArrowBuf validity = out.getValidityBuffer();
    ArrowBuf outOffsets = out.getOffsetBuffer();
    ArrowBuf outData = out.getDataBuffer();
    int end = 0;
    outOffsets.setInt(0, 0);
    for (int i = 0; i < n; i++) {
      if (!index.isNull(i)) {
        long k = index.getValueAsLong(i);
        if (!values.isNull((int) k)) {
          long from = start(offsets, offsetWidth, k);
          int len = (int) (end(offsets, offsetWidth, k) - from);
          outData.setBytes(end, data, from, len);
          end += len;
          BitVectorHelper.setBit(validity, i);
        }
      }
      outOffsets.setInt(((long) i + 1) << 2, end);
    }
    out.setLastSet(n - 1);
    out.setValueCount(n);
  }

  private static long start(ArrowBuf offsets, int width, long k) {
    return width == 8 ? offsets.getLong(k << 3) : offsets.getInt(k << 2);
  }

  private static long end(ArrowBuf offsets, int width, long k) {
    return start(offsets, width, k + 1);
  }
}
