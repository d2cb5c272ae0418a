package io.sabot.connect;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.RecordWrapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A FastCSV callback that copies each record's fields into one reused char array. The reader then
 * decodes only the fields it needs, straight from that array: no String per field, no list per
 * record. FastCSV has already removed the quotes and undoubled {@code ""} when it calls us.
 *
 * <p>The record it hands out is this object itself, valid until the next record is read.
 */
final class CsvFieldBuffer extends AbstractBaseCsvCallbackHandler<CsvFieldBuffer> {
  private char[] chars = new char[1024];
  private int used;
  private int[] starts = new int[16];
  private int[] lengths = new int[16];
  private boolean[] quoted = new boolean[16];

  /** A FastCSV reader over a UTF-8 file (BOM tolerated) whose records land in {@code buffer}. */
  static CsvReader<CsvFieldBuffer> open(Path file, CsvFieldBuffer buffer) throws IOException {
    return CsvReader.builder()
        .detectBomHeader(true)
        .skipEmptyLines(true)
        .ignoreDifferentFieldCount(true)
        .build(buffer, file, StandardCharsets.UTF_8);
  }

  @Override
  protected void handleBegin(long startingLineNumber) {
    used = 0;
  }

  @Override
  protected void handleField(int index, char[] buf, int offset, int len, boolean isQuoted) {
    if (index >= starts.length) {
      int n = Math.max(index + 1, starts.length * 2);
      starts = Arrays.copyOf(starts, n);
      lengths = Arrays.copyOf(lengths, n);
      quoted = Arrays.copyOf(quoted, n);
    }
    if (used + len > chars.length) chars = Arrays.copyOf(chars, Math.max(used + len, chars.length * 2));
    System.arraycopy(buf, offset, chars, used, len);
    starts[index] = used;
    lengths[index] = len;
    quoted[index] = isQuoted;
    used += len;
  }

  @Override
  protected RecordWrapper<CsvFieldBuffer> buildRecord() {
    return wrapRecord(this);
  }

  /** The 1-based line on which the current record starts. */
  long line() {
    return getStartingLineNumber();
  }

  int fieldCount() {
    return getFieldCount();
  }

  char[] chars() {
    return chars;
  }

  int start(int field) {
    return starts[field];
  }

  int length(int field) {
    return lengths[field];
  }

  boolean quoted(int field) {
    return quoted[field];
  }

  String field(int field) {
    return new String(chars, starts[field], lengths[field]);
  }

  /** The record re-joined as CSV (quoted where needed): the raw record of a dead letter. */
  String toCsvLine() {
    StringBuilder sb = new StringBuilder(used + fieldCount() + 8);
    for (int f = 0; f < fieldCount(); f++) {
      if (f > 0) sb.append(',');
      CsvText.appendField(sb, chars, starts[f], lengths[f], quoted[f]);
    }
    return sb.toString();
  }
}
