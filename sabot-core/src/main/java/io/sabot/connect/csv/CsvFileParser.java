package io.sabot.connect.csv;

import io.sabot.connect.text.RejectReasons;
import io.sabot.connect.text.Utf8;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * RFC 4180 records from the UTF-8 bytes of a file, one {@link #next} at a time, into a
 * {@link CsvFieldBuffer}. It works on bytes, not on a decoded Reader, so that it knows where each
 * record starts in the file and can turn what would otherwise be lost or merged into one rejected
 * record (a {@link CsvFieldBuffer#problem()}) and go on:
 *
 * <pre>
 *   invalid UTF-8          the record, with the file offset of its first bad byte
 *   record &gt; max bytes     the record, skipped to its end without keeping it in memory
 *   quote open at EOF      the line where the record started; reading goes on at the next line
 * </pre>
 *
 * Lines end with LF, CR LF or CR (as line numbers count them); inside quotes they are kept as
 * they are. Text after a closing quote is appended to the field ({@code "ab"c} is {@code abc}); a
 * quote inside an unquoted field is an ordinary char. An empty line is a record of one empty
 * unquoted field, marked {@link CsvFieldBuffer#blank()}. A leading byte order mark is skipped.
 */
final class CsvFileParser implements Closeable {
  private static final int COMMA = 0;
  private static final int EOL = 1;
  private static final int EOF = 2;
  private static final int UNTERMINATED = 3;

  private final FileChannel channel;
  private final CsvFieldBuffer out;
  private final long maxRecordBytes;
  private final byte[] bytes = new byte[64 * 1024];
  private int pos;
  private int limit;
  private long bufferStart;
  private boolean eof;
  private long line = 1;
  // the record being parsed
  private long recordStart;
  private long recordEnd;
  private boolean tooLong;
  private long badAt;
  private byte badByte;
  private long firstBreakEnd;
  private long firstBreakAt;
  private int fieldNumber;

  private CsvFileParser(FileChannel channel, CsvFieldBuffer out, long maxRecordBytes) {
    this.channel = channel;
    this.out = out;
    this.maxRecordBytes = maxRecordBytes;
  }

  /** Opens {@code file}; records longer than {@code maxRecordBytes} become rejected records. */
  static CsvFileParser open(Path file, CsvFieldBuffer out, long maxRecordBytes) throws IOException {
    CsvFileParser p = new CsvFileParser(FileChannel.open(file, StandardOpenOption.READ), out, maxRecordBytes);
    try {
      if (p.ensure(3) && p.bytes[0] == (byte) 0xEF && p.bytes[1] == (byte) 0xBB && p.bytes[2] == (byte) 0xBF) {
        p.pos = 3;
      }
      return p;
    } catch (IOException | RuntimeException e) {
      p.close();
      throw e;
    }
  }

  /** Parses the next record into the buffer; false at the end of the file. */
  boolean next() throws IOException {
    out.clear(line);
    tooLong = false;
    badAt = -1;
    firstBreakAt = -1;
    fieldNumber = 0;
    recordStart = offset();
    if (!ensure(1)) return false;
    byte first = bytes[pos];
    if (first == '\n' || first == '\r') {
      lineBreak();
      out.beginField();
      out.endField(false);
      out.blank = true;
      return true;
    }
    int end;
    do {
      end = field();
    } while (end == COMMA);
    if (end == UNTERMINATED) {
      unterminated();
      return true;
    }
    if (end == EOF) recordEnd = offset();
    out.lastLine = end == EOL ? line - 1 : line;
    if (tooLong || recordEnd - recordStart > maxRecordBytes) {
      out.problem = "record is " + (recordEnd - recordStart) + " bytes, more than max_record_bytes="
          + maxRecordBytes;
      out.raw = raw(recordStart, recordEnd);
    } else if (badAt >= 0) {
      out.problem = Utf8.invalidAt(badAt, "file", badByte);
      out.raw = raw(recordStart, recordEnd);
    }
    return true;
  }

  /**
   * A quote still open at the end of the file: the record is the line it started on (had the
   * quote been closed, the lines after it would have been part of it), and parsing resumes on the
   * next line, so one stray quote costs one line, not the rest of the file.
   */
  private void unterminated() throws IOException {
    int field = fieldNumber;
    long end = firstBreakAt >= 0 ? firstBreakAt : offset();
    out.problem = "quoted field " + field + " has no closing quote (still open at the end of the file)";
    out.raw = raw(recordStart, end);
    out.lastLine = out.line;
    if (firstBreakAt >= 0) {
      channel.position(firstBreakEnd);
      bufferStart = firstBreakEnd;
      pos = 0;
      limit = 0;
      eof = false;
      line = out.line + 1;
    }
  }

  /** Parses one field and what ends it: COMMA, EOL, EOF or UNTERMINATED. */
  private int field() throws IOException {
    fieldNumber++;
    if (tooLong) {
      out.fieldCount = 0;
      out.used = 0;
    }
    out.beginField();
    if (!ensure(1)) {
      out.endField(false);
      return EOF;
    }
    boolean quoted = bytes[pos] == '"';
    if (quoted) {
      pos++;
      if (!quoted()) return UNTERMINATED;
    }
    int end = unquoted();
    out.endField(quoted);
    return end;
  }

  /** Up to and past the next comma or line break (recording where the record ends). */
  private int unquoted() throws IOException {
    while (true) {
      if (pos >= limit && !ensure(1)) return EOF;
      out.reserve(limit - pos + 2);
      char[] c = out.chars;
      int u = out.used;
      int p = pos;
      int lim = limit;
      byte[] b = bytes;
      while (p < lim) {
        byte x = b[p];
        if (x >= 0) {
          if (x == ',') {
            pos = p + 1;
            out.used = u;
            return COMMA;
          }
          if (x == '\n' || x == '\r') {
            pos = p;
            out.used = u;
            recordEnd = offset();
            lineBreak();
            return EOL;
          }
          c[u++] = (char) x;
          p++;
        } else {
          break;
        }
      }
      pos = p;
      out.used = u;
      if (p < lim) multiByte();
    }
  }

  /** The inside of a quoted field, past its closing quote; false when the file ends first. */
  private boolean quoted() throws IOException {
    while (true) {
      if (pos >= limit && !ensure(1)) return false;
      out.reserve(limit - pos + 2);
      char[] c = out.chars;
      int u = out.used;
      int p = pos;
      int lim = limit;
      byte[] b = bytes;
      while (p < lim) {
        byte x = b[p];
        if (x >= 0 && x != '"' && x != '\n' && x != '\r') {
          c[u++] = (char) x;
          p++;
        } else {
          break;
        }
      }
      pos = p;
      out.used = u;
      if (p == lim) continue;
      byte x = b[p];
      if (x == '"') {
        pos++;
        if (!ensure(1) || bytes[pos] != '"') return true;
        pos++;
        out.chars[out.used++] = '"';
      } else if (x == '\n' || x == '\r') {
        boolean firstBreak = firstBreakAt < 0;
        if (firstBreak) firstBreakAt = offset();
        out.chars[out.used++] = (char) x;
        pos++;
        if (x == '\r' && ensure(1) && bytes[pos] == '\n') {
          out.chars[out.used++] = '\n';
          pos++;
        }
        line++;
        if (firstBreak) firstBreakEnd = offset();
      } else {
        multiByte();
      }
    }
  }

  /** Decodes the non-ASCII sequence at {@code pos}; an invalid byte becomes U+FFFD and is noted. */
  private void multiByte() throws IOException {
    ensure(4);
    out.reserve(2);
    int n = Utf8.sequenceLength(bytes, pos, limit);
    if (n < 0) {
      if (badAt < 0) {
        badAt = offset();
        badByte = bytes[pos];
      }
      out.chars[out.used++] = '\uFFFD';
      pos++;
    } else {
      out.used = Utf8.decode(bytes, pos, n, out.chars, out.used);
      pos += n;
    }
  }

  /** Consumes LF, CR LF or CR at {@code pos}. */
  private void lineBreak() throws IOException {
    byte x = bytes[pos++];
    if (x == '\r' && ensure(1) && bytes[pos] == '\n') pos++;
    line++;
  }

  private long offset() {
    return bufferStart + pos;
  }

  /**
   * True when at least {@code n} bytes are buffered, reading more as needed. Only called between
   * chars, so it is also where a record past {@code max_record_bytes} is noticed: from then on
   * its chars are dropped (it is rejected anyway), so memory stays bounded.
   */
  private boolean ensure(int n) throws IOException {
    if (limit - pos >= n) return true;
    if (!tooLong && offset() - recordStart > maxRecordBytes) {
      tooLong = true;
    }
    if (tooLong) out.used = out.fieldStart();
    while (limit - pos < n && !eof) {
      if (pos > 0) {
        System.arraycopy(bytes, pos, bytes, 0, limit - pos);
        bufferStart += pos;
        limit -= pos;
        pos = 0;
      }
      int read = channel.read(ByteBuffer.wrap(bytes, limit, bytes.length - limit));
      if (read < 0) {
        eof = true;
      } else {
        limit += read;
      }
    }
    return limit - pos >= n;
  }

  /**
   * The file's text in {@code [from, to)}, cut at {@link RejectReasons#RAW_LIMIT} bytes (then
   * ending in …).
   */
  private String raw(long from, long to) throws IOException {
    int n = (int) Math.min(to - from, RejectReasons.RAW_LIMIT);
    ByteBuffer dst = ByteBuffer.allocate(n);
    while (dst.hasRemaining()) {
      if (channel.read(dst, from + dst.position()) < 0) break;
    }
    String text = new String(dst.array(), 0, dst.position(), StandardCharsets.UTF_8);
    return to - from > RejectReasons.RAW_LIMIT ? text + "…" : text;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
