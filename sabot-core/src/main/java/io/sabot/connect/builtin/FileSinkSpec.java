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
 * @param dictionaryStrings {@code strings: dictionary} (arrow only): static reference tables'
 *                    string columns are written dictionary-encoded, each dictionary the whole
 *                    column; {@code strings: plain} (default) writes every value in each row
 */
public record FileSinkSpec(String path, FileFormat format, WriteMode mode, boolean exactlyOnce,
                           boolean dictionaryStrings) implements ConnectorSpec {
  /** With strings plain. */
  public FileSinkSpec(String path, FileFormat format, WriteMode mode, boolean exactlyOnce) {
    this(path, format, mode, exactlyOnce, false);
  }

  @Override
  public Map<String, Object> toParameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    if (format != null) m.put("format", format.jobName());
    if (mode != null) m.put("mode", mode.text());
    m.put("delivery", exactlyOnce ? "exactly_once" : "at_least_once");
    if (dictionaryStrings) m.put("strings", "dictionary"); // absent reads as plain
    return m;
  }
}
