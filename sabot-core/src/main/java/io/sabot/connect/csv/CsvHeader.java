package io.sabot.connect.csv;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The header row of a CSV file: the column names (trimmed), in file order. Empty lines before it
 * are skipped; a header that cannot be read (invalid UTF-8, say) fails the file.
 */
final class CsvHeader {
  private CsvHeader() {}

  /** Reads the header of {@code file}; null when the file has no rows at all. */
  static List<String> read(Path file, long maxRecordBytes) throws IOException {
    CsvFieldBuffer buffer = new CsvFieldBuffer();
    try (CsvFileParser parser = CsvFileParser.open(file, buffer, maxRecordBytes)) {
      return next(file, parser, buffer);
    }
  }

  /** Takes the next non-empty record of {@code parser} as the header; null at the end. */
  static List<String> next(Path file, CsvFileParser parser, CsvFieldBuffer buffer) throws IOException {
    do {
      if (!parser.next()) return null;
    } while (buffer.blank());
    if (buffer.problem() != null) {
      throw new IOException("file=" + file + " header on line " + buffer.line() + " cannot be read: "
          + buffer.problem());
    }
    List<String> names = new ArrayList<>(buffer.fieldCount());
    for (int f = 0; f < buffer.fieldCount(); f++) names.add(buffer.field(f).trim());
    return names;
  }

  /** Where each of {@code columns} is in {@code header}; -1 for a missing one. */
  static int[] indexes(List<String> header, List<String> columns) {
    int[] out = new int[columns.size()];
    for (int i = 0; i < columns.size(); i++) out[i] = header.indexOf(columns.get(i));
    return out;
  }
}
