package io.sabot.connect.text;

import io.sabot.types.Schema;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One CSV record per call (a Kafka record's value): splits it into fields (RFC 4180: quoted
 * fields, {@code ""} for a quote, commas and line breaks inside quotes) and stages the projected
 * ones with the {@link TextFieldDecoder} the CSV file reader uses. A whole file goes through
 * FastCSV instead; here a record is a few dozen bytes and FastCSV's reader costs more to set up
 * than to run. Invalid UTF-8 rejects the record (never U+FFFD in place of the bad bytes).
 */
final class CsvRecordDecoder {
  private final int[] fieldIndex;
  private final String[] names;
  private final int fieldCount;
  private final VectorAppender appender;
  private final TextFieldDecoder decoder = new TextFieldDecoder();
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
  private CharBuffer chars = CharBuffer.allocate(256);
  private char[] fields = new char[256];
  private int[] starts = new int[16];
  private int[] lengths = new int[16];
  private boolean[] quoted = new boolean[16];

  CsvRecordDecoder(Schema columns, Schema recordFields, VectorAppender appender) {
    this.appender = appender;
    this.fieldCount = recordFields.size();
    this.names = columns.names().toArray(new String[0]);
    this.fieldIndex = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      fieldIndex[i] = recordFields.indexOf(names[i]);
      if (fieldIndex[i] < 0) throw new IllegalArgumentException("column " + names[i] + " is not a field of " + recordFields);
    }
  }

  /** Stages the record; returns why it cannot be decoded, or null. */
  String decode(byte[] b, int off, int len) {
    int n = toChars(b, off, len);
    if (n < 0) {
      int bad = -1 - n;
      return Utf8.invalidAt(bad - off, "record", b[bad]);
    }
    char[] c = chars.array();
    while (n > 0 && (c[n - 1] == '\n' || c[n - 1] == '\r')) n--;
    int found = split(c, n);
    if (found < 0) return "record has a quoted field without its closing quote";
    if (found != fieldCount) return "record has " + found + " fields, the schema has " + fieldCount;
    appender.clearRow();
    for (int i = 0; i < fieldIndex.length; i++) {
      int f = fieldIndex[i];
      if (!decoder.stage(appender, i, fields, starts[f], lengths[f], !quoted[f])) {
        return RejectReasons.notA(names[i], new String(fields, starts[f], lengths[f]), appender.type(i));
      }
    }
    return null;
  }

  /** Decodes into {@link #chars}: the char count, or {@code -1 - index} of the first bad byte. */
  private int toChars(byte[] b, int off, int len) {
    if (chars.capacity() < len) chars = CharBuffer.allocate(Math.max(len, chars.capacity() * 2));
    chars.clear();
    utf8.reset();
    ByteBuffer in = ByteBuffer.wrap(b, off, len);
    CoderResult r = utf8.decode(in, chars, true);
    if (r.isError()) return -1 - in.position();
    utf8.flush(chars);
    return chars.position();
  }

  /** Splits {@code c[0, n)} into unquoted field texts; returns the field count, or -1. */
  private int split(char[] c, int n) {
    if (fields.length < n) fields = new char[Math.max(n, fields.length * 2)];
    int used = 0;
    int field = 0;
    int i = 0;
    while (true) {
      grow(field);
      starts[field] = used;
      quoted[field] = false;
      if (i < n && c[i] == '"') {
        quoted[field] = true;
        i++;
        while (true) {
          if (i >= n) return -1;
          char ch = c[i++];
          if (ch == '"') {
            if (i < n && c[i] == '"') {
              fields[used++] = '"';
              i++;
            } else {
              break;
            }
          } else {
            fields[used++] = ch;
          }
        }
        while (i < n && c[i] != ',') fields[used++] = c[i++]; // text after the closing quote
      } else {
        while (i < n && c[i] != ',') fields[used++] = c[i++];
      }
      lengths[field] = used - starts[field];
      field++;
      if (i >= n) return field;
      i++; // the comma
    }
  }

  private void grow(int field) {
    if (field < starts.length) return;
    int size = starts.length * 2;
    starts = Arrays.copyOf(starts, size);
    lengths = Arrays.copyOf(lengths, size);
    quoted = Arrays.copyOf(quoted, size);
  }
}
