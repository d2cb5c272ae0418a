package io.sabot.connect.builtin;

import io.sabot.connect.Source;
import io.sabot.connect.SourceConnector;
import io.sabot.connect.generator.GeneratorSource;
import io.sabot.graph.ConnectorSpec;
import io.sabot.graph.OperatorParameters;
import io.sabot.graph.SourceSpec;
import java.nio.file.Path;
import java.util.List;

/** {@code generator: quotes | securities}: the benchmark workload, made in memory. */
final class GeneratorConnector implements SourceConnector {
  @Override
  public String selector() {
    return "generator";
  }

  @Override
  public String description() {
    return "a generator source";
  }

  @Override
  public List<String> parameters() {
    return List.of("generator", "rows", "reference_rows");
  }

  @Override
  public Class<? extends ConnectorSpec> specType() {
    return GeneratorSpec.class;
  }

  @Override
  public ConnectorSpec parse(OperatorParameters p) {
    String name = p.text("generator");
    GeneratorSource.Kind kind = name == null ? null : GeneratorSource.Kind.parse(name);
    if (kind == null) {
      if (name != null) p.problem("generator", "value=" + name + " is not supported; use quotes or securities");
      return null;
    }
    long referenceRows = p.count("reference_rows", GeneratorSource.DEFAULT_REFERENCE_ROWS);
    if (kind == GeneratorSource.Kind.SECURITIES) {
      long rows = p.count("rows", referenceRows);
      return p.isValid() ? new GeneratorSpec(kind, rows, rows) : null;
    }
    if (!p.has("rows")) p.problem("rows", "is missing; generator=quotes needs the number of rows");
    if (p.has("reference_rows") && referenceRows < 1) {
      p.problem("reference_rows", "value=" + referenceRows + " must be at least 1 for generator=quotes");
    }
    long rows = p.count("rows", 0);
    return p.isValid() ? new GeneratorSpec(kind, rows, referenceRows) : null;
  }

  @Override
  public Source open(String operator, SourceSpec source, Path baseDir) {
    GeneratorSpec spec = (GeneratorSpec) source.connector();
    return spec.kind() == GeneratorSource.Kind.SECURITIES ? GeneratorSource.securities(spec.rows())
        : GeneratorSource.quotes(spec.rows(), spec.referenceRows());
  }
}
