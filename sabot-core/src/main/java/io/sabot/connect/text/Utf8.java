package io.sabot.connect.text;

/**
 * UTF-8 by hand, without a {@code CharsetDecoder}: encoding a char range into a reused byte array
 * (readers get their text as char ranges and Arrow stores UTF-8, and
 * {@code new String(...).getBytes(UTF_8)} would allocate twice per field; unpaired surrogates
 * become {@code '?'}, as in {@link String#getBytes}), and checking bytes read from files and
 * records, so that invalid input is rejected with its position instead of silently becoming
 * U+FFFD.
 *
 * <p>Valid means RFC 3629: no overlong forms, no surrogates (ED A0..BF), nothing past U+10FFFF.
 */
public final class Utf8 {
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

  /**
   * The length (2 to 4) of the valid UTF-8 sequence whose first byte, {@code b[p]}, is not
   * ASCII; -1 when it is invalid or cut short by {@code end}.
   */
  public static int sequenceLength(byte[] b, int p, int end) {
    int lead = b[p] & 0xFF;
    int n;
    int lo = 0x80;
    int hi = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      n = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      n = 3;
      if (lead == 0xE0) lo = 0xA0;
      if (lead == 0xED) hi = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      n = 4;
      if (lead == 0xF0) lo = 0x90;
      if (lead == 0xF4) hi = 0x8F;
    } else {
      return -1;
    }
    if (p + n > end) return -1;
    int second = b[p + 1] & 0xFF;
    if (second < lo || second > hi) return -1;
    for (int i = 2; i < n; i++) {
      if ((b[p + i] & 0xC0) != 0x80) return -1;
    }
    return n;
  }

  /**
   * Decodes the valid {@code n}-byte sequence at {@code b[p]} (see {@link #sequenceLength}) into
   * {@code out[u]} (two chars beyond the BMP); returns the new end of {@code out}.
   */
  public static int decode(byte[] b, int p, int n, char[] out, int u) {
    int cp;
    if (n == 2) {
      cp = ((b[p] & 0x1F) << 6) | (b[p + 1] & 0x3F);
    } else if (n == 3) {
      cp = ((b[p] & 0x0F) << 12) | ((b[p + 1] & 0x3F) << 6) | (b[p + 2] & 0x3F);
    } else {
      cp = ((b[p] & 0x07) << 18) | ((b[p + 1] & 0x3F) << 12) | ((b[p + 2] & 0x3F) << 6)
          | (b[p + 3] & 0x3F);
      out[u++] = Character.highSurrogate(cp);
      out[u++] = Character.lowSurrogate(cp);
      return u;
    }
    out[u++] = (char) cp;
    return u;
  }

  /** The index of the first byte of {@code b[off, off+len)} that is not valid UTF-8; -1 if none. */
  public static int firstInvalid(byte[] b, int off, int len) {
    int end = off + len;
    int i = off;
    while (i < end) {
      if (b[i] >= 0) {
        i++;
      } else {
        int n = sequenceLength(b, i, end);
        if (n < 0) return i;
        i += n;
      }
    }
    return -1;
  }

  /** The reject reason for an invalid byte: {@code invalid UTF-8 at byte 17 of the file: 0xff}. */
  public static String invalidAt(long position, String of, byte value) {
    return "invalid UTF-8 at byte " + position + " of the " + of + ": 0x"
        + String.format("%02x", value & 0xFF);
  }
}
