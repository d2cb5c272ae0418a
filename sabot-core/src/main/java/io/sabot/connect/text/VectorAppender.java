package io.sabot.connect.text;

import io.sabot.types.ColumnType;
import io.sabot.types.Schema;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Stages one decoded row, then appends it to a batch in one step. Readers decode every projected
 * field of a record first and call {@link #appendRow()} only when all of them are valid, so a
 * record rejected half-way leaves nothing behind in the vectors (no rollback of variable-width
 * offsets is ever needed).
 *
 * <pre>
 *   clearRow() → setLong / setDouble / setChars / setNull per column → appendRow()  (or drop)
 * </pre>
 */
public final class VectorAppender {
  private static final int INITIAL_ROWS = 4096;

  private final ColumnType[] types;
  private final boolean[] nulls;
  private final long[] longs;
  private final double[] doubles;
  private final char[][] chars;
  private final int[] charOffsets;
  private final int[] charLengths;
  // a string staged as UTF-8 bytes (copied as they are) rather than chars
  private final boolean[] staged8;
  private final byte[][] bytes;
  private final FieldVector[] vectors;
  private byte[] utf8 = new byte[256];
  private int rows;

  public VectorAppender(Schema columns) {
    int n = columns.size();
    types = new ColumnType[n];
    for (int i = 0; i < n; i++) types[i] = columns.field(i).type();
    nulls = new boolean[n];
    longs = new long[n];
    doubles = new double[n];
    chars = new char[n][];
    charOffsets = new int[n];
    charLengths = new int[n];
    staged8 = new boolean[n];
    bytes = new byte[n][];
    vectors = new FieldVector[n];
  }

  /** Binds a new, empty batch (with the columns given at construction) and allocates it. */
  public void start(VectorSchemaRoot batch, int batchSize) {
    int initial = Math.max(1, Math.min(batchSize, INITIAL_ROWS));
    for (int i = 0; i < vectors.length; i++) {
      vectors[i] = batch.getVector(i);
      vectors[i].setInitialCapacity(initial);
      vectors[i].allocateNew();
    }
    rows = 0;
  }

  /** Rows appended to the current batch. */
  public int rows() {
    return rows;
  }

  public ColumnType type(int column) {
    return types[column];
  }

  /** Marks every column of the staged row null. */
  void clearRow() {
    java.util.Arrays.fill(nulls, true);
  }

  void setNull(int column) {
    nulls[column] = true;
  }

  /** For int32, int64, timestamp and bool (1 or 0) columns. */
  void setLong(int column, long value) {
    nulls[column] = false;
    longs[column] = value;
  }

  void setDouble(int column, double value) {
    nulls[column] = false;
    doubles[column] = value;
  }

  /** For string columns: the chars are read at {@link #appendRow()}, so they must stay put. */
  void setChars(int column, char[] buffer, int offset, int length) {
    nulls[column] = false;
    staged8[column] = false;
    chars[column] = buffer;
    charOffsets[column] = offset;
    charLengths[column] = length;
  }

  /**
   * For string columns: valid UTF-8, written as it is (no chars in between); the bytes are read
   * at {@link #appendRow()}, so they must stay put.
   */
  void setUtf8(int column, byte[] buffer, int offset, int length) {
    nulls[column] = false;
    staged8[column] = true;
    bytes[column] = buffer;
    charOffsets[column] = offset;
    charLengths[column] = length;
  }

  /** Writes the staged row at the next row index of the batch. */
  public void appendRow() {
    int row = rows;
    for (int i = 0; i < vectors.length; i++) {
      if (nulls[i]) {
        vectors[i].setNull(row);
        continue;
      }
      switch (types[i]) {
        case INT32: ((IntVector) vectors[i]).setSafe(row, (int) longs[i]); break;
        case INT64: ((BigIntVector) vectors[i]).setSafe(row, longs[i]); break;
        case TIMESTAMP: ((TimeStampMilliVector) vectors[i]).setSafe(row, longs[i]); break;
        case BOOL: ((BitVector) vectors[i]).setSafe(row, (int) longs[i]); break;
        case FLOAT64: ((Float8Vector) vectors[i]).setSafe(row, doubles[i]); break;
        case STRING: appendString((VarCharVector) vectors[i], row, i); break;
        default: throw new AssertionError(types[i]);
      }
    }
    rows++;
  }

  private void appendString(VarCharVector vector, int row, int column) {
    int length = charLengths[column];
    if (staged8[column]) {
      vector.setSafe(row, bytes[column], charOffsets[column], length);
      return;
    }
    if (utf8.length < length * 3) utf8 = new byte[Math.max(length * 3, utf8.length * 2)];
    int n = Utf8.encode(chars[column], charOffsets[column], length, utf8);
    vector.setSafe(row, utf8, 0, n);
  }

  /** Sets the row count of the bound batch (and every vector's value count). */
  public void finish(VectorSchemaRoot batch) {
    batch.setRowCount(rows);
  }
}
