package io.sabot.differential;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * CSV text in and out of the engine: input tables written the way users write them (RFC 4180,
 * a header, nulls as empty fields, now and then a needlessly quoted field, blanks around a number,
 * a capitalised bool), and the sink's output read back with FastCSV.
 */
final class CsvFiles {
  private CsvFiles() {}

  /** A value as the CSV sink writes it; null is the empty field. */
  static String render(Object v) {
    if (v == null) return "";
    if (v instanceof Double) return Double.toString((Double) v);
    return v.toString();
  }

  /** The table as CSV text; {@code r} adds harmless variation to the spelling of values. */
  static String write(Table t, Random r) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.join(",", t.names())).append('\n');
    for (Object[] row : t.rows()) {
      for (int i = 0; i < row.length; i++) {
        if (i > 0) sb.append(',');
        sb.append(field(row[i], r));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String field(Object v, Random r) {
    if (v == null) return "";
    if (v instanceof String) {
      String s = (String) v;
      boolean mustQuote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0
          || s.indexOf('\r') >= 0;
      return mustQuote || r.nextInt(10) == 0 ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
    String text = render(v);
    if (v instanceof Boolean && r.nextInt(5) == 0) {
      text = (Boolean) v ? "True" : "FALSE";
    }
    switch (r.nextInt(20)) {
      case 0: return " " + text;
      case 1: return text + " ";
      case 2: return '"' + text + '"';
      default: return text;
    }
  }

  /** Header first, then the rows; an empty field is returned as "". Empty lines are records. */
  static List<List<String>> read(Path file) throws IOException {
    List<List<String>> out = new ArrayList<>();
    try (CsvReader<CsvRecord> reader = CsvReader.builder().skipEmptyLines(false)
        .ofCsvRecord(file)) {
      for (CsvRecord rec : reader) out.add(new ArrayList<>(rec.getFields()));
    }
    return out;
  }

  static void writeFile(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
