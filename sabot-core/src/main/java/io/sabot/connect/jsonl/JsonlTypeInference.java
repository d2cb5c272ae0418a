package io.sabot.connect.jsonl;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sabot.connect.text.JsonlFormat;
import io.sabot.connect.text.RejectReasons;
import io.sabot.types.ColumnType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Guesses a JSONL schema from the first {@value RejectReasons#INFERENCE_SAMPLE} non-blank lines
 * (across the files, in order): one column per top-level key, in order of first appearance.
 * Integers are int64 (float64 once a float shows up), true/false is bool, text is string; an
 * integer beyond int64 makes the column a string, so that every value keeps its exact digits
 * ({@code 5} stays {@code "5"}, not {@code 5.0}); any other mix, and nested objects or arrays (kept
 * as their JSON text), is string; a key that is only ever null is string. Lines that are not valid
 * JSON objects, have invalid UTF-8 or are too long are left out (they will be rejected when read).
 */
final class JsonlTypeInference {
  private JsonlTypeInference() {}

  static Map<String, ColumnType> infer(List<Path> files, long maxRecordBytes) throws IOException {
    Map<String, ColumnType> types = new LinkedHashMap<>();
    int sampled = 0;
    for (Path file : files) {
      try (JsonlLineReader in = JsonlLineReader.open(file, maxRecordBytes)) {
        while (sampled < RejectReasons.INFERENCE_SAMPLE && in.next()) {
          if (in.blank()) continue;
          sampled++;
          if (in.problem() != null) continue;
          Map<String, ColumnType> seen = new LinkedHashMap<>();
          if (observe(in, seen)) seen.forEach((k, t) -> put(types, k, t));
        }
      }
    }
    types.replaceAll((k, t) -> t == null ? ColumnType.STRING : t);
    return types;
  }

  /** Collects the line's key types (null for a null value); false if it is no JSON object. */
  private static boolean observe(JsonlLineReader line, Map<String, ColumnType> seen) {
    try (JsonParser p = JsonlFormat.FACTORY.createParser(line.bytes(), line.start(), line.length())) {
      if (p.nextToken() != JsonToken.START_OBJECT) return false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken t = p.nextToken();
        put(seen, key, typeOf(p, t));
        p.skipChildren();
      }
      return p.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }

  private static ColumnType typeOf(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case VALUE_NULL: return null;
      case VALUE_TRUE: case VALUE_FALSE: return ColumnType.BOOL;
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? ColumnType.STRING : ColumnType.INT64;
      case VALUE_NUMBER_FLOAT: return ColumnType.FLOAT64;
      default: return ColumnType.STRING;
    }
  }

  /** Adds or widens {@code key}'s type; a map value of null means "only nulls so far". */
  private static void put(Map<String, ColumnType> types, String key, ColumnType t) {
    types.put(key, types.containsKey(key) ? merge(types.get(key), t) : t);
  }

  /** The narrowest type holding both (null means "only nulls so far"). */
  static ColumnType merge(ColumnType a, ColumnType b) {
    if (a == null) return b;
    if (b == null || a == b) return a;
    if (a.isNumeric() && b.isNumeric()) return ColumnType.FLOAT64;
    return ColumnType.STRING;
  }
}
