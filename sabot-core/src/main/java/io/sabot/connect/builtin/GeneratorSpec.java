package io.sabot.connect.builtin;

import io.sabot.connect.generator.GeneratorSource;
import io.sabot.graph.ConnectorSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/** The workload generator: {@code rows} quotes over {@code referenceRows} securities, or the securities. */
public record GeneratorSpec(GeneratorSource.Kind kind, long rows, long referenceRows)
    implements ConnectorSpec {
  @Override
  public Map<String, Object> toParameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("generator", kind.name().toLowerCase(java.util.Locale.ROOT));
    m.put("rows", rows);
    m.put("reference_rows", referenceRows);
    return m;
  }
}
