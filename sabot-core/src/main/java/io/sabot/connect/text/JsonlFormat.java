package io.sabot.connect.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.sabot.types.ColumnType;
import java.io.IOException;
import org.apache.arrow.vector.FieldVector;

/**
 * The Jackson factory shared by the JSONL reader and writer and the JSON record codecs, and how a
 * value is written as JSON. Reading accepts bare {@code NaN} and {@code Infinity} (which some
 * writers emit) and parses doubles with FastDoubleParser; writing puts no separator between root
 * values, since the sink ends each object with its own newline.
 */
public final class JsonlFormat {
  public static final JsonFactory FACTORY = new JsonFactoryBuilder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .rootValueSeparator((String) null)
      .build();

  private JsonlFormat() {}

  /** One value as JSON: null, a number (timestamps as epoch ms), a bool or a string. */
  public static void writeValue(JsonGenerator generator, FieldVector v, ColumnType type, int row)
      throws IOException {
    if (v.isNull(row)) {
      generator.writeNull();
      return;
    }
    switch (type) {
      case INT32: case INT64: case TIMESTAMP: generator.writeNumber(ColumnValues.getLong(v, row)); break;
      case FLOAT64: generator.writeNumber(ColumnValues.getDouble(v, row)); break;
      case BOOL: generator.writeBoolean(ColumnValues.getBool(v, row)); break;
      case STRING:
        byte[] utf8 = ColumnValues.getUtf8(v, row);
        generator.writeUTF8String(utf8, 0, utf8.length);
        break;
      default: throw new AssertionError(type);
    }
  }
}
