package io.sabot.connect.csv;

import java.util.Arrays;

/**
 * One CSV record as {@link CsvFileParser} leaves it: the chars of all its fields in one reused
 * array (quotes removed, {@code ""} undoubled), with each field's start, length and whether it was
 * quoted. The reader then decodes only the fields it needs, straight from that array: no String
 * per field, no list per record. Valid until the next record is parsed.
 *
 * <p>A record the parser could not take as it is (invalid UTF-8, longer than
 * {@code max_record_bytes}, a quote never closed) carries a {@link #problem()} and its
 * {@link #raw()} text for the dead letter; its fields are then not to be used.
 */
final class CsvFieldBuffer {
  char[] chars = new char[1024];
  int used;
  int fieldCount;
  private int[] starts = new int[16];
  private int[] lengths = new int[16];
  private boolean[] quoted = new boolean[16];
  long line;
  long lastLine;
  boolean blank;
  String problem;
  String raw;

  void clear(long startLine) {
    used = 0;
    fieldCount = 0;
    line = startLine;
    lastLine = startLine;
    blank = false;
    problem = null;
    raw = null;
  }

  /** Makes room for {@code n} more chars. */
  void reserve(int n) {
    if (used + n > chars.length) chars = Arrays.copyOf(chars, Math.max(used + n, chars.length * 2));
  }

  /** Where the field being parsed starts in {@link #chars}. */
  int fieldStart() {
    return fieldCount < starts.length ? starts[fieldCount] : used;
  }

  void beginField() {
    if (fieldCount >= starts.length) {
      int n = starts.length * 2;
      starts = Arrays.copyOf(starts, n);
      lengths = Arrays.copyOf(lengths, n);
      quoted = Arrays.copyOf(quoted, n);
    }
    starts[fieldCount] = used;
  }

  void endField(boolean wasQuoted) {
    lengths[fieldCount] = used - starts[fieldCount];
    quoted[fieldCount] = wasQuoted;
    fieldCount++;
  }

  /** The 1-based line on which the current record starts. */
  long line() {
    return line;
  }

  /** The line on which it ends (later than {@link #line()} when a quoted field holds line breaks). */
  long lastLine() {
    return lastLine;
  }

  /** True for an empty line: one empty unquoted field. */
  boolean blank() {
    return blank;
  }

  /** Why the record cannot be read at all, or null. */
  String problem() {
    return problem;
  }

  /** The record's text from the file, for a record with a {@link #problem()}. */
  String raw() {
    return raw;
  }

  int fieldCount() {
    return fieldCount;
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
