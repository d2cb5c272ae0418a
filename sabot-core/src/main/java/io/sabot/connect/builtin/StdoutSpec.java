package io.sabot.connect.builtin;

import io.sabot.graph.ConnectorSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Standard output.
 *
 * @param format table (aligned columns, the first {@code limit} rows), csv or jsonl
 */
public record StdoutSpec(String format, long limit) implements ConnectorSpec {
  @Override
  public Map<String, Object> toParameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("stdout", true);
    m.put("format", format);
    if (format.equals("table")) m.put("limit", limit);
    return m;
  }
}
