package io.sabot.connect;

import de.siegmar.fastcsv.reader.CsvReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The header row of a CSV file: the column names (trimmed), in file order. */
final class CsvHeader {
  private CsvHeader() {}

  /** Reads the header of {@code file}; null when the file has no rows at all. */
  static List<String> read(Path file) throws IOException {
    CsvFieldBuffer buffer = new CsvFieldBuffer();
    try (CsvReader<CsvFieldBuffer> reader = CsvFieldBuffer.open(file, buffer)) {
      return next(reader.iterator(), buffer);
    } catch (RuntimeException e) {
      throw CsvBatchReader.parseFailure(file, e);
    }
  }

  /** Takes the next record of {@code records} as the header; null at the end. */
  static List<String> next(Iterator<CsvFieldBuffer> records, CsvFieldBuffer buffer) {
    if (!records.hasNext()) return null;
    records.next();
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
