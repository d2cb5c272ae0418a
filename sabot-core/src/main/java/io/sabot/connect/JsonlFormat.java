package io.sabot.connect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;

/**
 * The Jackson factory shared by the JSONL reader and writer. Reading accepts bare {@code NaN} and
 * {@code Infinity} (which some writers emit) and parses doubles with FastDoubleParser; writing
 * puts no separator between root values, since the sink ends each object with its own newline.
 */
final class JsonlFormat {
  static final JsonFactory FACTORY = new JsonFactoryBuilder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .rootValueSeparator((String) null)
      .build();

  private JsonlFormat() {}

  /** The first line without its UTF-8 byte order mark, if it has one. */
  static String stripBom(String line) {
    return line.startsWith("\uFEFF") ? line.substring(1) : line;
  }

  /** True for a line of only blanks: skipped, not rejected. */
  static boolean isBlank(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n' ) return false;
    }
    return true;
  }
}
