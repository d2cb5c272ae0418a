package io.sabot.connect.console;

import io.sabot.connect.Sink;
import io.sabot.connect.text.ColumnValues;
import io.sabot.types.ColumnType;
import io.sabot.types.Schema;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Prints rows as an aligned table for a person to read ({@code stdout: true}): the first
 * {@code limit} rows (default 50), then {@code … N more rows}. The rows shown are kept as text
 * until the limit is reached (or the input ends), so column widths fit every row shown; a cell
 * is cut at 40 characters with an ellipsis. Numbers are right-aligned, null prints as
 * {@code null}, timestamps as ISO-8601 instants, line breaks inside values as spaces.
 *
 * <pre>
 * instrumentId         price  size  ts
 * ------------  ------------  ----  --------------------
 *         1234  145.27340523    53  2023-11-14T22:13:20Z
 * … 999 more rows
 * </pre>
 */
public final class StdoutTableSink implements Sink {
  /** Rows printed when {@code limit} is not given. */
  public static final int DEFAULT_LIMIT = 50;
  static final int MAX_WIDTH = 40;

  private final PrintStream out;
  private final int limit;
  private final List<String[]> shown = new ArrayList<>();
  private Schema schema;
  private long total;
  private boolean printed;

  public StdoutTableSink(PrintStream out, int limit) {
    if (limit < 0) throw new IllegalArgumentException("limit " + limit);
    this.out = out;
    this.limit = limit;
  }

  @Override
  public void open(Schema schema) {
    this.schema = schema;
  }

  @Override
  public void write(VectorSchemaRoot batch) {
    List<FieldVector> vectors = batch.getFieldVectors();
    for (int row = 0; row < batch.getRowCount() && shown.size() < limit; row++) {
      String[] cells = new String[schema.size()];
      for (int c = 0; c < cells.length; c++) cells[c] = cell(vectors.get(c), schema.field(c).type(), row);
      shown.add(cells);
    }
    total += batch.getRowCount();
    if (!printed && shown.size() == limit && total > 0) printTable();
  }

  private static String cell(FieldVector v, ColumnType type, int row) {
    if (v.isNull(row)) return "null";
    String s = type == ColumnType.TIMESTAMP
        ? Instant.ofEpochMilli(ColumnValues.getLong(v, row)).toString()
        : ColumnValues.text(v, type, row);
    s = s.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    return clip(s);
  }

  static String clip(String s) {
    return s.length() <= MAX_WIDTH ? s : s.substring(0, MAX_WIDTH - 1) + "…";
  }

  private void printTable() {
    printed = true;
    int n = schema.size();
    int[] width = new int[n];
    String[] header = new String[n];
    for (int c = 0; c < n; c++) {
      header[c] = clip(schema.field(c).name());
      width[c] = header[c].length();
      for (String[] r : shown) width[c] = Math.max(width[c], r[c].length());
    }
    StringBuilder sb = new StringBuilder();
    line(sb, header, width, false);
    String[] rule = new String[n];
    for (int c = 0; c < n; c++) rule[c] = "-".repeat(width[c]);
    line(sb, rule, width, false);
    for (String[] r : shown) line(sb, r, width, true);
    out.print(sb);
    out.flush();
  }

  private void line(StringBuilder sb, String[] cells, int[] width, boolean alignNumbers) {
    int start = sb.length();
    for (int c = 0; c < cells.length; c++) {
      if (c > 0) sb.append("  ");
      String pad = " ".repeat(width[c] - cells[c].length());
      boolean right = alignNumbers && schema.field(c).type().isNumeric();
      sb.append(right ? pad : "").append(cells[c]).append(right ? "" : pad);
    }
    int end = sb.length();
    while (end > start && sb.charAt(end - 1) == ' ') end--;
    sb.setLength(end);
    sb.append('\n');
  }

  @Override
  public void close() {
    if (schema == null) return;
    if (!printed) printTable();
    if (total > shown.size()) {
      out.println("… " + (total - shown.size()) + " more rows");
    } else {
      out.println("(" + total + (total == 1 ? " row)" : " rows)"));
    }
    out.flush();
  }
}
