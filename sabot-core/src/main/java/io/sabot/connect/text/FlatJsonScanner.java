package io.sabot.connect.text;

import com.fasterxml.jackson.core.io.NumberInput;
import io.sabot.types.ColumnType;
import io.sabot.types.Schema;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fast path of {@link JsonRowDecoder}: one pass over the UTF-8 bytes of a flat JSON object
 * (string, number, true, false and null values), staging the projected values straight into the
 * {@link VectorAppender} (strings as their bytes, no chars in between) without creating a parser.
 * It accepts only what it can decode exactly as Jackson would, and gives up on anything else:
 * escapes, nested objects or arrays, a value of the wrong type for its column, a number Jackson
 * reads in another way (more than 18 digits), the bare NaN and Infinity, invalid UTF-8, invalid
 * JSON. The caller then decodes the record again with Jackson, which stages the row or gives the
 * reason; so the rows and reasons are Jackson's either way.
 *
 * <pre>
 *   ws { ws "key" ws : ws value ws (, ws "key" ws : ws value ws)* } ws      (nothing else)
 *   value:  "chars without \ or control chars"  |  -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
 *           |  true  |  false  |  null
 * </pre>
 */
final class FlatJsonScanner {
  /** Longer records are left to Jackson (its limits on names, numbers and strings apply there). */
  private static final int MAX_RECORD = 1 << 20;
  private static final int MAX_NUMBER = 64;
  /** Longer keys are left to Jackson (it limits names to 50,000 chars). */
  private static final int MAX_NAME = 1000;
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private final VectorAppender appender;
  private final ColumnType[] types;
  private final byte[][] names;
  // open addressing: hash of a name -> column + 1 (0: empty)
  private final int[] table;
  private final int mask;
  private final char[] number = new char[MAX_NUMBER];
  // the keys of the last record that had them, by position, and their columns (-1: not read):
  // records of a topic mostly repeat their keys in the same order, so a key is usually compared
  // once with the one expected, not scanned, hashed and looked up
  private byte[][] expectedKeys = new byte[16][];
  private int[] expectedColumns = new int[16];

  private FlatJsonScanner(Schema columns, VectorAppender appender, byte[][] names) {
    this.appender = appender;
    this.names = names;
    this.types = new ColumnType[names.length];
    for (int i = 0; i < names.length; i++) types[i] = columns.field(i).type();
    int size = Integer.highestOneBit(Math.max(4, names.length * 4) - 1) << 1;
    this.table = new int[size];
    this.mask = size - 1;
    for (int c = 0; c < names.length; c++) {
      int h = hash(names[c], 0, names[c].length) & mask;
      while (table[h] != 0) h = (h + 1) & mask;
      table[h] = c + 1;
    }
  }

  /**
   * Null when a column name is not plain text or appears twice (then every record goes to
   * Jackson).
   */
  static FlatJsonScanner of(Schema columns, VectorAppender appender) {
    byte[][] names = new byte[columns.size()][];
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int c = 0; c < names.length; c++) {
      String name = columns.field(c).name();
      names[c] = name.getBytes(StandardCharsets.UTF_8);
      if (!new String(names[c], StandardCharsets.UTF_8).equals(name) || !seen.add(name)) return null;
    }
    return new FlatJsonScanner(columns, appender, names);
  }

  private static int hash(byte[] b, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) h = 31 * h + b[i];
    return h ^ (h >>> 16);
  }

  private int indexOf(byte[] b, int from, int to, int hash) {
    int h = hash & mask;
    int len = to - from;
    for (int e; (e = table[h]) != 0; h = (h + 1) & mask) {
      byte[] name = names[e - 1];
      if (name.length == len && Arrays.equals(name, 0, len, b, from, to)) return e - 1;
    }
    return -1;
  }

  /**
   * Stages the object {@code b[off, off+len)} (any bytes: invalid UTF-8 makes it give up) into
   * the appender, whose row it clears first; false when the record must go to Jackson (the
   * staged row is then partial: the Jackson path clears it again).
   */
  boolean stage(byte[] b, int off, int len) {
    if (len > MAX_RECORD) return false;
    appender.clearRow();
    final int end = off + len;
    int i = ws(b, off, end);
    if (i >= end || b[i] != '{') return false;
    i = ws(b, i + 1, end);
    if (i >= end) return false;
    if (b[i] != '}') {
      for (int field = 0; ; field++) {
        // "key"
        if (b[i] != '"') return false;
        int keyStart = ++i;
        int column;
        byte[] expected = field < expectedKeys.length ? expectedKeys[field] : null;
        if (expected != null && keyStart + expected.length < end
            && b[keyStart + expected.length] == '"' && same(b, keyStart, expected)) {
          column = expectedColumns[field];
          i = keyStart + expected.length;
        } else {
          int h = 0;
          for (; ; i++) {
            if (i >= end) return false;
            byte c = b[i];
            if (c == '"') break;
            if (c == '\\' || (c >= 0 && c < 0x20)) return false;
            if (c < 0) {
              int n = Utf8.sequenceLength(b, i, end);
              if (n < 0) return false;
              for (int k = 0; k < n; k++) h = 31 * h + b[i + k];
              i += n - 1;
              continue;
            }
            h = 31 * h + c;
          }
          if (i - keyStart > MAX_NAME) return false;
          column = indexOf(b, keyStart, i, h ^ (h >>> 16));
          expect(field, Arrays.copyOfRange(b, keyStart, i), column);
        }
        i = ws(b, i + 1, end);
        if (i >= end || b[i] != ':') return false;
        i = ws(b, i + 1, end);
        if (i >= end) return false;
        i = value(b, i, end, column);
        if (i < 0) return false;
        i = ws(b, i, end);
        if (i >= end) return false;
        if (b[i] == '}') break;
        if (b[i] != ',') return false;
        i = ws(b, i + 1, end);
        if (i >= end) return false;
      }
    }
    return ws(b, i + 1, end) == end;
  }

  private void expect(int field, byte[] key, int column) {
    if (field >= expectedKeys.length) {
      if (field >= 1024) return;
      expectedKeys = Arrays.copyOf(expectedKeys, field * 2);
      expectedColumns = Arrays.copyOf(expectedColumns, field * 2);
    }
    expectedKeys[field] = key;
    expectedColumns[field] = column;
  }

  /** {@code b[at, at + key.length)} equals {@code key} (which fits in b). */
  private static boolean same(byte[] b, int at, byte[] key) {
    int n = key.length;
    int j = 0;
    for (; j + 8 <= n; j += 8) {
      if ((long) LONGS.get(b, at + j) != (long) LONGS.get(key, j)) return false;
    }
    for (; j < n; j++) {
      if (b[at + j] != key[j]) return false;
    }
    return true;
  }

  /**
   * The first index from {@code i} whose byte is a quote, a backslash, a control char or not
   * ASCII; {@code end} if none. Eight bytes at a time: the lowest flagged byte of a word is
   * exact (a borrow only runs towards higher bytes).
   */
  private static int plain(byte[] b, int i, int end) {
    for (; i + 8 <= end; i += 8) {
      long w = (long) LONGS.get(b, i);
      long quote = w ^ 0x2222222222222222L;
      long slash = w ^ 0x5C5C5C5C5C5C5C5CL;
      long t = ((quote - ONES) & ~quote) | ((slash - ONES) & ~slash)
          | (w - 0x2020202020202020L) | w;
      t &= HIGHS;
      if (t != 0) return i + (Long.numberOfTrailingZeros(t) >>> 3);
    }
    for (; i < end; i++) {
      byte c = b[i];
      if (c == '"' || c == '\\' || c < 0x20) return i; // c < 0: not ASCII
    }
    return end;
  }

  private static int ws(byte[] b, int i, int end) {
    while (i < end) {
      byte c = b[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
      i++;
    }
    return i;
  }

  /** Scans (and stages, for a column >= 0) the value at {@code b[i]}; its end, or -1. */
  private int value(byte[] b, int i, int end, int column) {
    byte c = b[i];
    ColumnType type = column < 0 ? null : types[column];
    if (c == '"') {
      if (type != null && type != ColumnType.STRING) return -1; // Jackson's rules for text in a typed column
      int start = ++i;
      while (true) {
        i = plain(b, i, end);
        if (i >= end) return -1;
        byte x = b[i];
        if (x == '"') break;
        if (x >= 0) return -1; // a backslash or a control char
        int n = Utf8.sequenceLength(b, i, end);
        if (n < 0) return -1;
        i += n;
      }
      if (type != null) appender.setUtf8(column, b, start, i - start);
      return i + 1;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return number(b, i, end, column, type);
    if (c == 'n') {
      if (!literal(b, i, end, NULL)) return -1;
      if (type != null) appender.setNull(column);
      return i + NULL.length;
    }
    if (c == 't' || c == 'f') {
      byte[] word = c == 't' ? TRUE : FALSE;
      if (!literal(b, i, end, word)) return -1;
      if (type != null) {
        if (type != ColumnType.BOOL) return -1;
        appender.setLong(column, c == 't' ? 1 : 0);
      }
      return i + word.length;
    }
    return -1;
  }

  /** The word at {@code b[i]}, followed by a byte that may end a value. */
  private static boolean literal(byte[] b, int i, int end, byte[] word) {
    int to = i + word.length;
    if (to >= end || !Arrays.equals(b, i, to, word, 0, word.length)) return false;
    return endsValue(b[to]);
  }

  private static boolean endsValue(byte c) {
    return c == ',' || c == '}' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  private static boolean digit(byte c) {
    return c >= '0' && c <= '9';
  }

  private int number(byte[] b, int i, int end, int column, ColumnType type) {
    int start = i;
    boolean negative = b[i] == '-';
    if (negative && ++i >= end) return -1;
    int digitsStart = i;
    if (b[i] == '0') {
      i++;
      if (i < end && digit(b[i])) return -1; // a leading zero: Jackson's error
    } else if (digit(b[i])) {
      while (i < end && digit(b[i])) i++;
    } else {
      return -1; // -Infinity, or not a number
    }
    int digits = i - digitsStart;
    boolean integral = true;
    if (i < end && b[i] == '.') {
      integral = false;
      if (++i >= end || !digit(b[i])) return -1;
      while (i < end && digit(b[i])) i++;
    }
    if (i < end && (b[i] == 'e' || b[i] == 'E')) {
      integral = false;
      if (++i < end && (b[i] == '+' || b[i] == '-')) i++;
      if (i >= end || !digit(b[i])) return -1;
      while (i < end && digit(b[i])) i++;
    }
    if (i >= end || !endsValue(b[i]) || i - start > MAX_NUMBER) return -1;
    if (type == null) return i;
    switch (type) {
      case INT32:
      case INT64:
      case TIMESTAMP: {
        if (!integral || digits > 18) return -1;
        long v = digitsValue(b, digitsStart, digits);
        if (negative) v = -v;
        if (type == ColumnType.INT32 && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) return -1;
        appender.setLong(column, v);
        return i;
      }
      case FLOAT64:
        if (integral) {
          if (digits > 18) return -1;
          long v = digitsValue(b, digitsStart, digits);
          // an integer token is read as an integer, then widened (so -0 is 0.0, as with Jackson)
          appender.setDouble(column, (double) (negative ? -v : v));
        } else {
          int n = i - start;
          for (int k = 0; k < n; k++) number[k] = (char) b[start + k];
          appender.setDouble(column, NumberInput.parseDouble(number, 0, n, true));
        }
        return i;
      default:
        return -1; // a number for a string or bool column: left to Jackson
    }
  }

  private static long digitsValue(byte[] b, int from, int n) {
    long v = 0;
    for (int k = 0; k < n; k++) v = v * 10 + (b[from + k] - '0');
    return v;
  }
}
