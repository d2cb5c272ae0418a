package io.sabot.connect.builtin;

import io.sabot.connect.Source;
import io.sabot.connect.SourceConnector;
import io.sabot.connect.memory.MemorySource;
import io.sabot.graph.ConnectorSpec;
import io.sabot.graph.OperatorParameters;
import io.sabot.graph.SourceSpec;
import java.nio.file.Path;
import java.util.List;

/** {@code memory: NAME}: a table the Java API registered in MemoryTables; it carries its schema. */
final class MemoryConnector implements SourceConnector {
  @Override
  public String selector() {
    return "memory";
  }

  @Override
  public String description() {
    return "a memory source (a memory table carries its schema)";
  }

  @Override
  public List<String> parameters() {
    return List.of("memory");
  }

  @Override
  public Class<? extends ConnectorSpec> specType() {
    return MemorySpec.class;
  }

  @Override
  public ConnectorSpec parse(OperatorParameters p) {
    String table = p.text("memory");
    return p.isValid() ? new MemorySpec(table) : null;
  }

  @Override
  public Source open(String operator, SourceSpec source, Path baseDir) {
    return MemorySource.of(operator, ((MemorySpec) source.connector()).table());
  }
}
