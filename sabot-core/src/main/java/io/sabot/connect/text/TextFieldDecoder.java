package io.sabot.connect.text;

import io.sabot.types.ColumnType;

/**
 * Turns the text of one field into the staged value of its column. Shared by the CSV reader (every
 * field) and the JSONL reader (strings in timestamp and float64 columns), so both accept exactly
 * the same spellings ({@link ValueParser}). Blanks around a number, bool or timestamp are ignored;
 * a blank field in such a column is null. String columns keep their text as is.
 */
public final class TextFieldDecoder {
  private final ValueParser parser = new ValueParser();

  ValueParser parser() {
    return parser;
  }

  /**
   * Stages {@code c[off, off+len)} as column {@code column}'s value.
   *
   * @param emptyIsNull for string columns: whether an empty text means null (an unquoted empty
   *                    CSV field) or the empty string (a quoted one, {@code ""})
   * @return false when the text is not a value of the column's type (nothing is staged)
   */
  public boolean stage(VectorAppender appender, int column, char[] c, int off, int len,
                boolean emptyIsNull) {
    ColumnType type = appender.type(column);
    if (type == ColumnType.STRING) {
      if (len == 0 && emptyIsNull) {
        appender.setNull(column);
      } else {
        appender.setChars(column, c, off, len);
      }
      return true;
    }
    int start = ValueParser.trimStart(c, off, len);
    int end = ValueParser.trimEnd(c, start, off + len);
    int n = end - start;
    if (n == 0) {
      appender.setNull(column);
      return true;
    }
    switch (type) {
      case INT32:
        if (!parser.parseInt32(c, start, n)) return false;
        appender.setLong(column, parser.longValue());
        return true;
      case INT64:
        if (!parser.parseLong(c, start, n)) return false;
        appender.setLong(column, parser.longValue());
        return true;
      case BOOL:
        if (!parser.parseBool(c, start, n)) return false;
        appender.setLong(column, parser.longValue());
        return true;
      case TIMESTAMP:
        if (!parser.parseTimestamp(c, start, n)) return false;
        appender.setLong(column, parser.longValue());
        return true;
      case FLOAT64:
        if (!parser.parseDouble(c, start, n)) return false;
        appender.setDouble(column, parser.doubleValue());
        return true;
      default:
        throw new AssertionError(type);
    }
  }
}
