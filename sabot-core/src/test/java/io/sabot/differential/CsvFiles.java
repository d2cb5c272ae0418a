package io.sabot.differential;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.RecordWrapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * CSV text in and out of the engine: input tables written the way users write them (RFC 4180,
 * a header, nulls as empty fields, the empty string as {@code ""}, now and then a needlessly
 * quoted field, blanks around a number, a capitalised bool), and the sink's output read back with
 * FastCSV, null and "" told apart.
 */
final class CsvFiles {
  private CsvFiles() {}

  /** A value as the CSV sink writes it; null stays null (an unquoted empty field). */
  static String render(Object v) {
    if (v == null) return null;
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
      boolean mustQuote = s.isEmpty() || s.indexOf(',') >= 0 || s.indexOf('"') >= 0
          || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
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

  /**
   * Header first, then the rows. An unquoted empty field is null, a quoted one ({@code ""}) the
   * empty string; an empty line is a record of one null field.
   */
  static List<List<String>> read(Path file) throws IOException {
    List<List<String>> out = new ArrayList<>();
    try (CsvReader<List<String>> reader = CsvReader.builder().skipEmptyLines(false)
        .build(new NullAwareFields(), file)) {
      for (List<String> rec : reader) out.add(rec);
    }
    return out;
  }

  /** Each record as a list of fields, telling null (unquoted, empty) from "" (quoted). */
  private static final class NullAwareFields extends AbstractBaseCsvCallbackHandler<List<String>> {
    private List<String> fields = new ArrayList<>();

    @Override
    protected void handleBegin(long startingLineNumber) {
      fields = new ArrayList<>();
    }

    @Override
    protected void handleField(int index, char[] buf, int offset, int len, boolean quoted) {
      fields.add(len == 0 && !quoted ? null : new String(buf, offset, len));
    }

    @Override
    protected RecordWrapper<List<String>> buildRecord() {
      if (fields.isEmpty()) fields.add(null);
      return wrapRecord(fields);
    }
  }

  static void writeFile(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
