package io.sabot.connect.builtin;

import io.sabot.connect.file.FileFormat;
import io.sabot.graph.ConnectorSpec;
import io.sabot.graph.OperatorParameters;
import io.sabot.types.ColumnType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CSV, JSON-lines or Arrow IPC files: one file, a folder or a glob.
 *
 * @param format null: the format the files' extension implies
 * @param schema declared column types (CSV and JSON lines; others are inferred); may be empty
 */
public record FileSourceSpec(String path, FileFormat format, Map<String, ColumnType> schema,
                             long maxRecordBytes) implements ConnectorSpec {
  public FileSourceSpec {
    schema = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(schema));
  }

  @Override
  public Map<String, Object> toParameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    if (format != null) m.put("format", format.jobName());
    if (!schema.isEmpty()) m.put("schema", OperatorParameters.schemaParameter(schema));
    m.put("max_record_bytes", maxRecordBytes);
    return m;
  }
}
