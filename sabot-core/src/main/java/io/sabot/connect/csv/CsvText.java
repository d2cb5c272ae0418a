package io.sabot.connect.csv;

/** RFC 4180 quoting for the few places that build CSV text by hand (dead-letter records). */
final class CsvText {
  private CsvText() {}

  /**
   * Appends one field, quoted when it holds a comma, a quote or a line break, or when it was
   * quoted and empty ({@code ""}, the empty string, as opposed to an empty field, null).
   */
  static void appendField(StringBuilder sb, char[] c, int off, int len, boolean wasQuoted) {
    boolean quote = wasQuoted && len == 0;
    for (int i = off; i < off + len && !quote; i++) {
      char ch = c[i];
      quote = ch == ',' || ch == '"' || ch == '\n' || ch == '\r';
    }
    if (!quote) {
      sb.append(c, off, len);
      return;
    }
    sb.append('"');
    for (int i = off; i < off + len; i++) {
      if (c[i] == '"') sb.append('"');
      sb.append(c[i]);
    }
    sb.append('"');
  }
}
