package io.sabot.connect.text;

import io.sabot.error.InvalidJobException;
import io.sabot.types.ColumnType;

/**
 * The wording of reject reasons, and the limits they name, in one place so CSV and JSONL say the
 * same thing: {@code column=price value='abc' is not a float64}, plus a note when the type was
 * guessed.
 */
public final class RejectReasons {
  /** Rows (CSV) or lines (JSONL) sampled to infer a schema. */
  public static final int INFERENCE_SAMPLE = 10_000;
  /** Bytes of a rejected record kept for its dead letter: an oversized one is cut here. */
  public static final int RAW_LIMIT = 64 * 1024;
  /** The default {@code max_record_bytes}: 8 MiB. */
  public static final long DEFAULT_MAX_RECORD_BYTES = 8L << 20;
  private static final int MAX_VALUE_CHARS = 100;

  private RejectReasons() {}

  /** {@code max_record_bytes}, checked: at least 1. */
  public static long checkMaxRecordBytes(String operator, long maxRecordBytes) {
    if (maxRecordBytes < 1) {
      throw new InvalidJobException("operator=" + operator + " parameter=max_record_bytes value="
          + maxRecordBytes + " must be at least 1");
    }
    return maxRecordBytes;
  }

  /** {@code column=price value='abc' is not a float64}. */
  public static String notA(String column, String value, ColumnType type) {
    return "column=" + column + " value='" + clip(value) + "' is not " + describe(type);
  }

  /** Appended to a reason when the column's type was inferred; {@code unit} is rows or lines. */
  public static String inferredNote(String unit) {
    return " (type inferred from the first " + INFERENCE_SAMPLE + " " + unit
        + "; declare schema to override)";
  }

  static String describe(ColumnType type) {
    switch (type) {
      case INT32: return "an int32";
      case INT64: return "an int64";
      case FLOAT64: return "a float64";
      case BOOL: return "a bool (true or false)";
      case TIMESTAMP: return "a timestamp (epoch milliseconds or ISO-8601)";
      default: return "a " + type.jobName();
    }
  }

  /** Long values are cut to keep reasons readable; the raw record still has all of it. */
  static String clip(String value) {
    return value.length() <= MAX_VALUE_CHARS ? value : value.substring(0, MAX_VALUE_CHARS) + "…";
  }
}
