package io.sabot.connect.builtin;

import io.sabot.graph.ConnectorSpec;
import java.util.Map;

/** Nowhere: rows are counted and dropped (benchmarks, dry runs). */
public record DiscardSpec() implements ConnectorSpec {
  @Override
  public Map<String, Object> toParameters() {
    return Map.of("discard", true);
  }
}
