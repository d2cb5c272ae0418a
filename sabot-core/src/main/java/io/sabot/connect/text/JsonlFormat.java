package io.sabot.connect.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;

/**
 * The Jackson factory shared by the JSONL reader and writer. Reading accepts bare {@code NaN} and
 * {@code Infinity} (which some writers emit) and parses doubles with FastDoubleParser; writing
 * puts no separator between root values, since the sink ends each object with its own newline.
 */
public final class JsonlFormat {
  public static final JsonFactory FACTORY = new JsonFactoryBuilder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .rootValueSeparator((String) null)
      .build();

  private JsonlFormat() {}
}
