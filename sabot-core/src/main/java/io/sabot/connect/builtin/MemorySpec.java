package io.sabot.connect.builtin;

import io.sabot.graph.ConnectorSpec;
import java.util.Map;

/** A table registered in {@link io.sabot.connect.memory.MemoryTables} under {@code table}. */
public record MemorySpec(String table) implements ConnectorSpec {
  @Override
  public Map<String, Object> toParameters() {
    return Map.of("memory", table);
  }
}
