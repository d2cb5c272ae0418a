package io.sabot.connect.builtin;

import io.sabot.connect.Source;
import io.sabot.connect.SourceConnector;
import io.sabot.connect.arrow.ArrowIpcSource;
import io.sabot.connect.csv.CsvSource;
import io.sabot.connect.file.FileFormat;
import io.sabot.connect.file.FileSet;
import io.sabot.connect.jsonl.JsonlSource;
import io.sabot.graph.ConnectorSpec;
import io.sabot.graph.OperatorParameters;
import io.sabot.graph.SourceSpec;
import java.nio.file.Path;
import java.util.List;

/** {@code path:} a CSV, JSON-lines or Arrow IPC file, folder or glob. */
final class FileSourceConnector implements SourceConnector {
  @Override
  public String selector() {
    return "path";
  }

  @Override
  public String description() {
    return "a file source (path)";
  }

  @Override
  public List<String> parameters() {
    return List.of("path", "format", "schema", "max_record_bytes");
  }

  @Override
  public Class<? extends ConnectorSpec> specType() {
    return FileSourceSpec.class;
  }

  @Override
  public ConnectorSpec parse(OperatorParameters p) {
    String path = p.text("path");
    FileFormat format = FileFormats.parse(p, "");
    var schema = p.schema();
    if (format == FileFormat.ARROW && !schema.isEmpty()) {
      p.problem("schema", "is not used with format=arrow; an Arrow file carries its schema");
    }
    long maxRecordBytes = p.count("max_record_bytes", CsvSource.DEFAULT_MAX_RECORD_BYTES);
    return p.isValid() ? new FileSourceSpec(path, format, schema, maxRecordBytes) : null;
  }

  @Override
  public Source open(String operator, SourceSpec source, Path baseDir) {
    FileSourceSpec spec = (FileSourceSpec) source.connector();
    FileSet.Resolved files = FileSet.resolve(operator, spec.path(), baseDir, spec.format());
    switch (files.format()) {
      case CSV: return new CsvSource(operator, files.files(), spec.schema(), spec.maxRecordBytes());
      case JSONL: return new JsonlSource(operator, files.files(), spec.schema(), spec.maxRecordBytes());
      case ARROW:
        if (!spec.schema().isEmpty()) {
          throw new io.sabot.error.InvalidJobException("operator=" + operator + " parameter=schema "
              + "is not used with format=arrow; an Arrow file carries its schema");
        }
        return new ArrowIpcSource(operator, files.files());
      default: throw new AssertionError(files.format());
    }
  }
}
