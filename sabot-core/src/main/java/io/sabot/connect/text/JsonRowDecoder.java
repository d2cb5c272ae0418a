package io.sabot.connect.text;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.sabot.types.ColumnType;
import io.sabot.types.Schema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Decodes one JSON object (a JSONL line, or a Kafka record's value), as UTF-8 bytes, into the staging row of a
 * {@link VectorAppender}. A flat object (string, number, bool and null values, no escapes) is
 * staged by {@link FlatJsonScanner} in one pass over its bytes, without a parser; any other, and
 * any the scanner cannot decode exactly as Jackson would, goes through Jackson's streaming parser:
 * keys outside the projection are skipped token by token, never built into objects. The caller
 * appends the row only when {@link #decode} returns null (every projected value had the right
 * type); the rows and the reasons are Jackson's either way.
 *
 * <p>Missing key or null: null. String column: a number or bool gives its text, an object or an
 * array its JSON text. float64: any number, or the strings NaN, Infinity, -Infinity (what JSON
 * writers emit for them). timestamp: an integer (epoch milliseconds) or an ISO-8601 string.
 */
public final class JsonRowDecoder {
  private final Map<String, Integer> columnIndex = new HashMap<>();
  private final String[] names;
  private final boolean[] inferred;
  private final VectorAppender appender;
  private final String unit;
  private final ValueParser parser = new ValueParser();
  // null: every record through Jackson
  private final FlatJsonScanner flat;
  private char[] rowChars = new char[256];
  private int rowCharsUsed;
  // the bytes being decoded (UTF-8), for the raw JSON of nested values
  private byte[] bytes;
  private int bytesOffset;

  /**
   * @param unit what a record is called in the note on inferred types: "lines" or "records"
   */
  public JsonRowDecoder(Schema columns, Set<String> inferredColumns, VectorAppender appender,
                        String unit) {
    this.names = columns.names().toArray(new String[0]);
    this.inferred = new boolean[names.length];
    for (int i = 0; i < names.length; i++) {
      columnIndex.put(names[i], i);
      inferred[i] = inferredColumns.contains(names[i]);
    }
    this.appender = appender;
    this.unit = unit;
    this.flat = FlatJsonScanner.of(columns, appender);
  }

  /** Without the fast path: every record through Jackson (for tests that compare the two). */
  JsonRowDecoder(Schema columns, VectorAppender appender, boolean fastPath) {
    this.names = columns.names().toArray(new String[0]);
    this.inferred = new boolean[names.length];
    for (int i = 0; i < names.length; i++) columnIndex.put(names[i], i);
    this.appender = appender;
    this.unit = "records";
    this.flat = fastPath ? FlatJsonScanner.of(columns, appender) : null;
  }

  /**
   * Stages the object in UTF-8 {@code b[off, off+len)} (a record's value); returns why it cannot
   * be decoded, or null. Invalid UTF-8 is rejected, with its offset in the record.
   */
  String decode(byte[] b, int off, int len) throws IOException {
    if (flat != null && flat.stage(b, off, len)) return null;
    int bad = Utf8.firstInvalid(b, off, len);
    if (bad >= 0) return Utf8.invalidAt(bad - off, "record", b[bad]);
    return decodeWithJackson(b, off, len);
  }

  /** Like {@link #decode(byte[], int, int)}, for bytes already checked to be valid UTF-8. */
  public String decodeValid(byte[] b, int off, int len) throws IOException {
    if (flat != null && flat.stage(b, off, len)) return null;
    return decodeWithJackson(b, off, len);
  }

  private String decodeWithJackson(byte[] b, int off, int len) throws IOException {
    bytes = b;
    bytesOffset = off;
    try (JsonParser p = JsonlFormat.FACTORY.createParser(b, off, len)) {
      return decode(p);
    }
  }

  private String decode(JsonParser p) throws IOException {
    appender.clearRow();
    rowCharsUsed = 0;
    try {
      if (p.nextToken() != JsonToken.START_OBJECT) return "line is not a JSON object";
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        Integer column = columnIndex.get(p.currentName());
        JsonToken t = p.nextToken();
        if (column == null) {
          p.skipChildren();
        } else if (!stage(p, column, t)) {
          String reason = RejectReasons.notA(names[column], valueText(p, t), appender.type(column));
          return inferred[column] ? reason + RejectReasons.inferredNote(unit) : reason;
        }
      }
      if (p.nextToken() != null) return "line has more than one JSON value";
      return null;
    } catch (JsonProcessingException e) {
      String at = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
      return "invalid JSON" + at + ": " + e.getOriginalMessage();
    }
  }

  /** Stages the value at token {@code t}; false when it has the wrong type for the column. */
  private boolean stage(JsonParser p, int column, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      appender.setNull(column);
      return true;
    }
    ColumnType type = appender.type(column);
    switch (type) {
      case STRING:
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          stageCopy(column, rawJson(p));
        } else if (t == JsonToken.VALUE_STRING) {
          stageCopy(column, p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        } else {
          stageCopy(column, p.getText());
        }
        return true;
      case INT32:
      case INT64:
      case TIMESTAMP:
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
          long v = p.getLongValue();
          if (type == ColumnType.INT32 && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) return false;
          appender.setLong(column, v);
          return true;
        }
        if (type == ColumnType.TIMESTAMP && t == JsonToken.VALUE_STRING
            && parser.parseTimestamp(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())) {
          appender.setLong(column, parser.longValue());
          return true;
        }
        return false;
      case FLOAT64:
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
          appender.setDouble(column, p.getDoubleValue());
          return true;
        }
        if (t == JsonToken.VALUE_STRING
            && parser.parseDouble(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())
            && !Double.isFinite(parser.doubleValue())) {
          appender.setDouble(column, parser.doubleValue());
          return true;
        }
        return false;
      case BOOL:
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
          appender.setLong(column, t == JsonToken.VALUE_TRUE ? 1 : 0);
          return true;
        }
        return false;
      default:
        throw new AssertionError(type);
    }
  }

  /** The value as the reason shows it: text for scalars, JSON for objects and arrays. */
  private String valueText(JsonParser p, JsonToken t) throws IOException {
    return t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY ? rawJson(p) : p.getText();
  }

  /** The JSON text of the object or array starting at the current token (which it skips). */
  private String rawJson(JsonParser p) throws IOException {
    JsonLocation start = p.currentTokenLocation();
    p.skipChildren();
    JsonLocation end = p.currentTokenLocation();
    int from = (int) start.getByteOffset();
    int to = (int) end.getByteOffset() + 1;
    return new String(bytes, bytesOffset + from, to - from, StandardCharsets.UTF_8);
  }

  private void stageCopy(int column, String s) {
    stageCopy(column, s.toCharArray(), 0, s.length());
  }

  /** Copies into the row's own chars: Jackson reuses its buffer for the next token. */
  private void stageCopy(int column, char[] c, int off, int len) {
    if (rowCharsUsed + len > rowChars.length) {
      rowChars = Arrays.copyOf(rowChars, Math.max(rowCharsUsed + len, rowChars.length * 2));
    }
    System.arraycopy(c, off, rowChars, rowCharsUsed, len);
    appender.setChars(column, rowChars, rowCharsUsed, len);
    rowCharsUsed += len;
  }
}
