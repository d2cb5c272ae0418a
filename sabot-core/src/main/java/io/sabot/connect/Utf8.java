package io.sabot.connect;

/**
 * UTF-8 encoding of a char range into a reused byte array: readers get their text as char ranges
 * (FastCSV, Jackson) and Arrow stores UTF-8, and {@code new String(...).getBytes(UTF_8)} would
 * allocate twice per field. Unpaired surrogates become {@code '?'}, as in {@link String#getBytes}.
 */
final class Utf8 {
  private Utf8() {}

  /** Encodes {@code c[off, off+len)} into {@code out} (at least {@code 3 * len} long). */
  static int encode(char[] c, int off, int len, byte[] out) {
    int n = 0;
    int end = off + len;
    for (int i = off; i < end; i++) {
      char ch = c[i];
      if (ch < 0x80) {
        out[n++] = (byte) ch;
      } else if (ch < 0x800) {
        out[n++] = (byte) (0xC0 | (ch >> 6));
        out[n++] = (byte) (0x80 | (ch & 0x3F));
      } else if (Character.isHighSurrogate(ch) && i + 1 < end && Character.isLowSurrogate(c[i + 1])) {
        int cp = Character.toCodePoint(ch, c[++i]);
        out[n++] = (byte) (0xF0 | (cp >> 18));
        out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        out[n++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(ch)) {
        out[n++] = '?';
      } else {
        out[n++] = (byte) (0xE0 | (ch >> 12));
        out[n++] = (byte) (0x80 | ((ch >> 6) & 0x3F));
        out[n++] = (byte) (0x80 | (ch & 0x3F));
      }
    }
    return n;
  }
}
