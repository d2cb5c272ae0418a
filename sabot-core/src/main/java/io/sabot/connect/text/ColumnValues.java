package io.sabot.connect.text;

import io.sabot.types.ColumnType;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Reads one value of a batch column for the text sinks. The sinks know each column's Sabot type
 * from the schema they were opened with; the vector classes are read through their Arrow
 * interfaces, so an int32 in a narrower vector or a zoned timestamp still prints.
 */
public final class ColumnValues {
  private ColumnValues() {}

  public static long getLong(FieldVector v, int row) {
    if (v instanceof BaseIntVector) return ((BaseIntVector) v).getValueAsLong(row);
    if (v instanceof TimeStampVector) return ((TimeStampVector) v).get(row);
    if (v instanceof BitVector) return ((BitVector) v).get(row);
    throw new IllegalArgumentException("column " + v.getName() + " is " + v.getField().getType()
        + ", not an integer");
  }

  static double getDouble(FieldVector v, int row) {
    if (v instanceof FloatingPointVector) return ((FloatingPointVector) v).getValueAsDouble(row);
    return getLong(v, row);
  }

  static boolean getBool(FieldVector v, int row) {
    return getLong(v, row) != 0;
  }

  /** The UTF-8 bytes of a string value. */
  static byte[] getUtf8(FieldVector v, int row) {
    if (v instanceof VarCharVector) return ((VarCharVector) v).get(row);
    return v.getObject(row).toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The value as CSV and JSONL text: integers and timestamps (epoch ms) in decimal, doubles as
   * {@link Double#toString}, bools as true/false; null for null.
   */
  public static String text(FieldVector v, ColumnType type, int row) {
    if (v.isNull(row)) return null;
    switch (type) {
      case INT32: case INT64: case TIMESTAMP: return Long.toString(getLong(v, row));
      case FLOAT64: return Double.toString(getDouble(v, row));
      case BOOL: return getBool(v, row) ? "true" : "false";
      case STRING: return new String(getUtf8(v, row), StandardCharsets.UTF_8);
      default: throw new AssertionError(type);
    }
  }
}
