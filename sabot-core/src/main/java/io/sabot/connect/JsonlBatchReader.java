package io.sabot.connect;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.sabot.types.ColumnType;
import io.sabot.types.Schema;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Decodes one JSONL file (one JSON object per line) into batches of the projected columns, with
 * Jackson's streaming parser: keys outside the projection are skipped token by token, never built
 * into objects. A line is staged column by column and appended only if every projected value has
 * the right type; otherwise it goes to the rejecter with its line number.
 *
 * <p>Missing key or null: null. String column: a number or bool gives its text, an object or an
 * array its JSON text. float64: any number, or the strings NaN, Infinity, -Infinity (what JSON
 * writers emit for them). timestamp: an integer (epoch milliseconds) or an ISO-8601 string.
 */
final class JsonlBatchReader implements BatchReader {
  private final BufferedReader in;
  private final String description;
  private final ReadContext context;
  private final Map<String, Integer> columnIndex = new HashMap<>();
  private final String[] names;
  private final boolean[] inferred;
  private final VectorAppender appender;
  private final ValueParser parser = new ValueParser();
  private char[] rowChars = new char[256];
  private int rowCharsUsed;
  private long lineNumber;
  private String line;
  private boolean done;

  private JsonlBatchReader(BufferedReader in, String description, ReadContext context,
                           Set<String> inferredColumns) {
    this.in = in;
    this.description = description;
    this.context = context;
    Schema columns = context.columns();
    this.names = columns.names().toArray(new String[0]);
    this.inferred = new boolean[names.length];
    for (int i = 0; i < names.length; i++) {
      columnIndex.put(names[i], i);
      inferred[i] = inferredColumns.contains(names[i]);
    }
    this.appender = new VectorAppender(columns);
  }

  static JsonlBatchReader open(Path file, String description, ReadContext context,
                               Set<String> inferredColumns) throws IOException {
    return new JsonlBatchReader(Files.newBufferedReader(file, StandardCharsets.UTF_8),
        description, context, inferredColumns);
  }

  @Override
  public VectorSchemaRoot next() throws IOException {
    if (done) return null;
    VectorSchemaRoot batch = context.columns().newBatch(context.allocator());
    try {
      appender.start(batch, context.batchSize());
      while (appender.rows() < context.batchSize() && (line = in.readLine()) != null) {
        lineNumber++;
        if (lineNumber == 1) line = JsonlFormat.stripBom(line);
        if (JsonlFormat.isBlank(line)) continue;
        String reason = decodeLine();
        if (reason == null) {
          appender.appendRow();
        } else {
          context.rejecter().reject(description, lineNumber, line, reason);
        }
      }
      if (appender.rows() == 0) {
        done = true;
        batch.close();
        return null;
      }
      appender.finish(batch);
      return batch;
    } catch (Throwable t) {
      batch.close();
      throw t;
    }
  }

  /** Stages the current line; returns why it cannot be decoded, or null. */
  private String decodeLine() throws IOException {
    appender.clearRow();
    rowCharsUsed = 0;
    try (JsonParser p = JsonlFormat.FACTORY.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return "line is not a JSON object";
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        Integer column = columnIndex.get(p.currentName());
        JsonToken t = p.nextToken();
        if (column == null) {
          p.skipChildren();
        } else if (!stage(p, column, t)) {
          String reason = RejectReasons.notA(names[column], valueText(p, t), appender.type(column));
          return inferred[column] ? reason + RejectReasons.inferredNote("lines") : reason;
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
    int start = (int) p.currentTokenLocation().getCharOffset();
    p.skipChildren();
    int end = (int) p.currentTokenLocation().getCharOffset() + 1;
    return line.substring(start, end);
  }

  private void stageCopy(int column, String text) {
    stageCopy(column, text.toCharArray(), 0, text.length());
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

  @Override
  public void close() throws IOException {
    in.close();
  }
}
