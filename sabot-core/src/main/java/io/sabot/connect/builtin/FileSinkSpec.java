package io.sabot.connect.builtin;

import io.sabot.connect.WriteMode;
import io.sabot.connect.file.FileFormat;
import io.sabot.graph.ConnectorSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A CSV, JSON-lines or Arrow IPC file.
 *
 * @param format      null: the one the file's extension implies
 * @param mode        null: append when the stream resumes from committed positions, else overwrite
 * @param exactlyOnce {@code delivery: exactly_once}: the source position is kept with the rows
 */
public record FileSinkSpec(String path, FileFormat format, WriteMode mode, boolean exactlyOnce)
    implements ConnectorSpec {
  @Override
  public Map<String, Object> toParameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    if (format != null) m.put("format", format.jobName());
    if (mode != null) m.put("mode", mode.text());
    m.put("delivery", exactlyOnce ? "exactly_once" : "at_least_once");
    return m;
  }
}
