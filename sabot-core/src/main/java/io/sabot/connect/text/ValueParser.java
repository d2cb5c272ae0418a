package io.sabot.connect.text;

import com.fasterxml.jackson.core.io.NumberInput;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;

/**
 * Parses field text (a range of a char array, as FastCSV and Jackson hand it out) into typed
 * values without creating a String on the common paths. One instance per reader: the result of
 * the last successful parse is in {@link #longValue()} or {@link #doubleValue()}.
 *
 * <p>The grammars are strict, so inference and decoding agree: integers are {@code [+-]?digits}
 * (no overflow); floats are {@code [+-]?(digits[.digits]|.digits)([eE][+-]?digits)?} or
 * {@code NaN}, {@code Infinity}, {@code -Infinity} (what {@link Double#toString} prints; Java's
 * own parser would also take {@code 1d} or hex); bools are {@code true|false} in any case;
 * timestamps are epoch milliseconds or ISO-8601 ({@code 2024-01-02T03:04:05Z},
 * {@code 2024-01-02T03:04:05.123} read as UTC, {@code 2024-01-02} as midnight UTC; a space may
 * stand for the {@code T}).
 */
public final class ValueParser {
  private static final double[] POW10 = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10;
    }
  }

  private long longValue;
  private double doubleValue;

  long longValue() {
    return longValue;
  }

  double doubleValue() {
    return doubleValue;
  }

  /** Parses {@code [+-]?digits} into {@link #longValue()}; false on anything else or overflow. */
  public boolean parseLong(char[] c, int off, int len) {
    int i = off;
    int end = off + len;
    boolean negative = false;
    if (i < end && (c[i] == '+' || c[i] == '-')) {
      negative = c[i] == '-';
      i++;
    }
    if (i == end) return false;
    long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
    long multMin = limit / 10;
    long result = 0;
    for (; i < end; i++) {
      int d = c[i] - '0';
      if (d < 0 || d > 9 || result < multMin) return false;
      result *= 10;
      if (result < limit + d) return false;
      result -= d;
    }
    longValue = negative ? result : -result;
    return true;
  }

  /** Like {@link #parseLong} but also false outside the int32 range. */
  boolean parseInt32(char[] c, int off, int len) {
    return parseLong(c, off, len) && longValue >= Integer.MIN_VALUE && longValue <= Integer.MAX_VALUE;
  }

  /** Parses a float into {@link #doubleValue()}, correctly rounded. */
  public boolean parseDouble(char[] c, int off, int len) {
    int i = off;
    int end = off + len;
    boolean negative = false;
    if (i < end && (c[i] == '+' || c[i] == '-')) {
      negative = c[i] == '-';
      i++;
    }
    if (i == end) return false;
    if (matches(c, i, end, "NaN")) {
      doubleValue = Double.NaN;
      return true;
    }
    if (matches(c, i, end, "Infinity")) {
      doubleValue = negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      return true;
    }
    long mantissa = 0;
    int digits = 0; // significant digits kept in mantissa
    int scale = 0; // value = mantissa * 10^scale
    boolean exact = true;
    boolean any = false;
    for (; i < end && isDigit(c[i]); i++) {
      any = true;
      int d = c[i] - '0';
      if (mantissa == 0 && d == 0) continue;
      if (digits < 18) {
        mantissa = mantissa * 10 + d;
        digits++;
      } else {
        exact = false;
        scale++;
      }
    }
    if (i < end && c[i] == '.') {
      for (i++; i < end && isDigit(c[i]); i++) {
        any = true;
        int d = c[i] - '0';
        if (digits < 18) {
          mantissa = mantissa * 10 + d;
          if (mantissa != 0) digits++;
          scale--;
        } else {
          exact = false;
        }
      }
    }
    if (!any) return false;
    int exponent = 0;
    if (i < end && (c[i] == 'e' || c[i] == 'E')) {
      i++;
      boolean negativeExp = false;
      if (i < end && (c[i] == '+' || c[i] == '-')) {
        negativeExp = c[i] == '-';
        i++;
      }
      if (i == end) return false;
      for (; i < end && isDigit(c[i]); i++) {
        if (exponent < 100_000) exponent = exponent * 10 + (c[i] - '0');
      }
      if (negativeExp) exponent = -exponent;
    }
    if (i != end) return false;
    int e = scale + exponent;
    if (mantissa == 0) {
      doubleValue = negative ? -0.0 : 0.0;
    } else if (exact && digits <= 15 && e >= -22 && e <= 22) {
      // Clinger's fast path: both operands exact, so one IEEE operation rounds correctly.
      double v = e < 0 ? mantissa / POW10[-e] : mantissa * POW10[e];
      doubleValue = negative ? -v : v;
    } else {
      // Long mantissas (Double.toString prints up to 17 digits): FastDoubleParser, as Jackson
      // ships it, is correctly rounded like Double.parseDouble and many times faster.
      doubleValue = NumberInput.parseDouble(c, off, len, true);
    }
    return true;
  }

  /** Parses {@code true} or {@code false} (any case) into {@link #longValue()} as 1 or 0. */
  public boolean parseBool(char[] c, int off, int len) {
    if (len == 4 && matchesIgnoreCase(c, off, "true")) {
      longValue = 1;
      return true;
    }
    if (len == 5 && matchesIgnoreCase(c, off, "false")) {
      longValue = 0;
      return true;
    }
    return false;
  }

  /** Parses epoch milliseconds or ISO-8601 into {@link #longValue()} (epoch milliseconds). */
  boolean parseTimestamp(char[] c, int off, int len) {
    if (parseLong(c, off, len)) return true;
    if (len < 10 || !isDigit(c[off])) return false;
    String text = new String(c, off, len);
    try {
      if (len == 10) {
        longValue = LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        return true;
      }
      if (text.charAt(10) == ' ') text = text.substring(0, 10) + 'T' + text.substring(11);
      TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parseBest(
          text, ZonedDateTime::from, LocalDateTime::from);
      longValue = t instanceof ZonedDateTime
          ? ((ZonedDateTime) t).toInstant().toEpochMilli()
          : ((LocalDateTime) t).toInstant(ZoneOffset.UTC).toEpochMilli();
      return true;
    } catch (DateTimeParseException | ArithmeticException e) {
      return false;
    }
  }

  /** True for an optional sign and one or more digits, whatever their count. */
  public static boolean isWholeNumber(char[] c, int off, int len) {
    int i = off;
    int end = off + len;
    if (i < end && (c[i] == '+' || c[i] == '-')) i++;
    if (i == end) return false;
    for (; i < end; i++) {
      if (c[i] < '0' || c[i] > '9') return false;
    }
    return true;
  }

  /** True for {@code 000123} or {@code -07}: a zero followed by a digit, after an optional sign. */
  public static boolean hasLeadingZero(char[] c, int off, int len) {
    int i = off;
    int end = off + len;
    if (i < end && (c[i] == '+' || c[i] == '-')) i++;
    return i + 1 < end && c[i] == '0' && isDigit(c[i + 1]);
  }

  /** The first index after leading blanks (space, tab) of the range. */
  public static int trimStart(char[] c, int off, int len) {
    int i = off;
    int end = off + len;
    while (i < end && (c[i] == ' ' || c[i] == '\t')) i++;
    return i;
  }

  /** The end index (exclusive) before trailing blanks of the range starting at {@code start}. */
  public static int trimEnd(char[] c, int start, int end) {
    int e = end;
    while (e > start && (c[e - 1] == ' ' || c[e - 1] == '\t')) e--;
    return e;
  }

  private static boolean isDigit(char ch) {
    return ch >= '0' && ch <= '9';
  }

  private static boolean matches(char[] c, int i, int end, String word) {
    if (end - i != word.length()) return false;
    for (int k = 0; k < word.length(); k++) {
      if (c[i + k] != word.charAt(k)) return false;
    }
    return true;
  }

  private static boolean matchesIgnoreCase(char[] c, int off, String lowerWord) {
    for (int k = 0; k < lowerWord.length(); k++) {
      if (Character.toLowerCase(c[off + k]) != lowerWord.charAt(k)) return false;
    }
    return true;
  }
}
