package io.sabot.connect.jsonl;

import io.sabot.connect.text.RejectReasons;
import io.sabot.connect.text.Utf8;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The lines of a JSONL file as byte ranges of one reused buffer, not decoded: the line is handed
 * to Jackson as UTF-8 bytes, checked first with {@link Utf8#firstInvalid}, so a bad byte rejects
 * its line instead of failing the file (a decoding Reader throws {@code Input length = 1} with no
 * line). A line ends with LF (a CR before it is dropped). A leading byte order mark is skipped.
 *
 * <p>A line longer than {@code max_record_bytes} is not kept: the reader skips to its end and
 * reports it {@link #tooLong()}, with its first {@link RejectReasons#RAW_LIMIT} bytes as
 * {@link #raw()}, so memory stays bounded by the limit whatever the file holds.
 */
final class JsonlLineReader implements Closeable {
  private final FileChannel channel;
  private final long maxRecordBytes;
  private byte[] bytes = new byte[64 * 1024];
  private int pos;
  private int limit;
  private long bufferStart;
  private boolean eof;
  private long line;
  private int start;
  private int length;
  private long lineBytes;
  private boolean tooLong;

  private JsonlLineReader(FileChannel channel, long maxRecordBytes) {
    this.channel = channel;
    this.maxRecordBytes = maxRecordBytes;
  }

  static JsonlLineReader open(Path file, long maxRecordBytes) throws IOException {
    JsonlLineReader r = new JsonlLineReader(FileChannel.open(file, StandardOpenOption.READ), maxRecordBytes);
    try {
      r.fill();
      while (r.limit < 3 && !r.eof) r.fill();
      if (r.limit >= 3 && r.bytes[0] == (byte) 0xEF && r.bytes[1] == (byte) 0xBB && r.bytes[2] == (byte) 0xBF) {
        r.pos = 3;
      }
      return r;
    } catch (IOException | RuntimeException e) {
      r.close();
      throw e;
    }
  }

  /** Moves to the next line; false at the end of the file. */
  boolean next() throws IOException {
    tooLong = false;
    int scanned = pos;
    while (true) {
      int nl = indexOfNewline(scanned);
      if (nl >= 0) {
        take(nl);
        pos = nl + 1;
        return true;
      }
      scanned = limit;
      if (eof) {
        if (pos == limit) return false;
        take(limit);
        pos = limit;
        return true;
      }
      if (limit - pos > maxRecordBytes) {
        skipLongLine();
        return true;
      }
      int kept = limit - pos;
      fill();
      scanned = pos + kept;
    }
  }

  /** The line {@code bytes[pos, end)}, a CR before the LF dropped. */
  private void take(int end) {
    line++;
    start = pos;
    length = end - pos;
    lineBytes = length;
    if (length > 0 && bytes[end - 1] == '\r') length--;
    if (length > maxRecordBytes) {
      tooLong = true;
      length = Math.min(length, RejectReasons.RAW_LIMIT);
    }
  }

  /** Past a line over the limit: keeps its first bytes for {@link #raw()}, drops the rest. */
  private void skipLongLine() throws IOException {
    line++;
    tooLong = true;
    start = pos;
    length = (int) Math.min(limit - pos, RejectReasons.RAW_LIMIT);
    byte[] head = Arrays.copyOfRange(bytes, start, start + length);
    lineBytes = 0;
    while (true) {
      int nl = indexOfNewline(pos);
      if (nl >= 0) {
        lineBytes += nl - pos;
        pos = nl + 1;
        break;
      }
      lineBytes += limit - pos;
      pos = limit;
      if (eof) break;
      fill();
    }
    // the head goes back at the front of the buffer, before what is left unread
    int unread = limit - pos;
    if (bytes.length < head.length + unread) bytes = Arrays.copyOf(bytes, head.length + unread);
    System.arraycopy(bytes, pos, bytes, head.length, unread);
    System.arraycopy(head, 0, bytes, 0, head.length);
    bufferStart += pos - head.length;
    start = 0;
    pos = head.length;
    limit = head.length + unread;
  }

  private int indexOfNewline(int from) {
    byte[] b = bytes;
    for (int i = from; i < limit; i++) {
      if (b[i] == '\n') return i;
    }
    return -1;
  }

  /** Reads more, first moving the unread bytes to the front (growing the buffer when full). */
  private void fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(bytes, pos, bytes, 0, limit - pos);
      bufferStart += pos;
      limit -= pos;
      pos = 0;
    }
    if (limit == bytes.length) bytes = Arrays.copyOf(bytes, bytes.length * 2);
    int read = channel.read(ByteBuffer.wrap(bytes, limit, bytes.length - limit));
    if (read < 0) {
      eof = true;
    } else {
      limit += read;
    }
  }

  /** 1-based number of the current line. */
  long line() {
    return line;
  }

  byte[] bytes() {
    return bytes;
  }

  int start() {
    return start;
  }

  int length() {
    return length;
  }

  /** The file offset of {@code bytes()[i]}. */
  long offset(int i) {
    return bufferStart + i;
  }

  /** True when the line is longer than {@code max_record_bytes}; then only its head is kept. */
  boolean tooLong() {
    return tooLong;
  }

  /** Why the current line is rejected unread, or null: too long, or invalid UTF-8. */
  String problem() {
    if (tooLong) {
      return "line is " + lineBytes + " bytes, more than max_record_bytes=" + maxRecordBytes;
    }
    int bad = Utf8.firstInvalid(bytes, start, length);
    return bad < 0 ? null : Utf8.invalidAt(offset(bad), "file", bytes[bad]);
  }

  /** The line as text (bad bytes as U+FFFD), for a dead letter; a long line's head and …. */
  String raw() {
    String text = new String(bytes, start, length, StandardCharsets.UTF_8);
    return tooLong ? text + "…" : text;
  }

  /** True for a line of only blanks: skipped, not rejected. */
  boolean blank() {
    for (int i = start; i < start + length; i++) {
      byte c = bytes[i];
      if (c != ' ' && c != '\t' && c != '\r') return false;
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
