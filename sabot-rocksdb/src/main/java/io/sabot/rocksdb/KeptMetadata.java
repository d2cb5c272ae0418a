package io.sabot.rocksdb;

import io.sabot.types.Field;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.zip.CRC32;

/**
 * What a kept store ({@link KeptStore}) says about itself, in {@code sabot-kept.properties}
 * beside RocksDB's files: the feed's version and the table definition its rows are of, the
 * table's shape as text, and the counts a reopened store must report (they are not in RocksDB,
 * and counting them again would read the whole table, which is what keeping it saves).
 *
 * <pre>
 *   # comment
 *   format=1
 *   version=...   definition=...   schema=ID:int64, NAME:string   key_columns=ID   on_duplicate=last
 *   rows=...  key_count=...  replaced=...  null_key_rows=...  hidden=...  duplicate_keys=...
 *   checksum=crc32 of the UTF-8 bytes of every line above (8 hex digits), the last line
 * </pre>
 *
 * One {@code key=value} a line, UTF-8; a value escapes {@code \}, newline and carriage return
 * as {@code \\}, {@code \n}, {@code \r}, so a definition of several lines stays one line. The
 * checksum makes a damaged or edited file fail to verify rather than reopen a store with
 * counts, or a version, that are not its own.
 */
record KeptMetadata(String version, String definition, String schema, String keyColumns,
                    String onDuplicate, long rows, long keyCount, long replaced, long nullKeyRows,
                    long hidden, long duplicateKeys) {
  static final String FILE = "sabot-kept.properties";
  /**
   * The version of this file and of the bytes in RocksDB ({@link StoreLayout}, {@link KeyCodec},
   * {@link RowCodec}): change it when either changes, so that a store kept by an older Sabot is
   * loaded anew rather than misread.
   */
  private static final int FORMAT = 1;
  private static final String CHECKSUM = "checksum=";

  /**
   * The metadata of {@code store} as it is now (read on its writer thread, so the counts hold
   * still).
   */
  static KeptMetadata of(RocksDbReferenceStore store, String version, String definition) {
    StoreLayout layout = store.layout();
    return new KeptMetadata(version, definition, schemaText(layout), keyText(layout),
        layout.onDuplicate.jobName(), store.rowCount(), store.keyCount(),
        store.replacedDuplicates(), store.nullKeyRows(), store.filteredOutRows(),
        store.duplicateKeys());
  }

  /** {@code ID:int64, NAME:string}: the columns, in order, with their types. */
  static String schemaText(StoreLayout layout) {
    StringJoiner out = new StringJoiner(", ");
    for (Field f : layout.schema.fields()) out.add(f.toString());
    return out.toString();
  }

  /** {@code ID}: the key columns' names, in key order. */
  static String keyText(StoreLayout layout) {
    StringJoiner out = new StringJoiner(", ");
    for (int k : layout.keyColumns) out.add(layout.schema.field(k).name());
    return out.toString();
  }

  /** Writes {@code file} and forces it to disk. */
  void write(Path file) throws IOException {
    StringBuilder text = new StringBuilder();
    text.append("# A reference table kept by Sabot for a later run (a RocksDB checkpoint).\n")
        .append("# Do not edit: the checksum covers every line above it.\n");
    line(text, "format", String.valueOf(FORMAT));
    line(text, "version", version);
    line(text, "definition", definition);
    line(text, "schema", schema);
    line(text, "key_columns", keyColumns);
    line(text, "on_duplicate", onDuplicate);
    line(text, "rows", String.valueOf(rows));
    line(text, "key_count", String.valueOf(keyCount));
    line(text, "replaced", String.valueOf(replaced));
    line(text, "null_key_rows", String.valueOf(nullKeyRows));
    line(text, "hidden", String.valueOf(hidden));
    line(text, "duplicate_keys", String.valueOf(duplicateKeys));
    byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
    byte[] sum = (CHECKSUM + crc(body, body.length) + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(body.length + sum.length).put(body).put(sum).flip();
      while (b.hasRemaining()) ch.write(b);
      ch.force(true);
    }
  }

  /**
   * Reads and verifies {@code file}.
   *
   * @throws IOException when it is missing or unreadable, or does not verify: the message says
   *     why, to follow "its metadata (FILE) ..."
   */
  static KeptMetadata read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IOException("does not verify: it cannot be read (" + e + ")", e);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IOException("does not verify: it is not UTF-8 text", e);
    }
    int at = text.lastIndexOf("\n" + CHECKSUM) + 1;
    if (at <= 0) throw new IOException("does not verify: it has no checksum line");
    // the text before the checksum line is the same bytes as the file's (strict decoding above)
    int bodyLength = text.substring(0, at).getBytes(StandardCharsets.UTF_8).length;
    String stored = text.substring(at + CHECKSUM.length()).strip();
    String actual = crc(bytes, bodyLength);
    if (!stored.equals(actual)) {
      throw new IOException("does not verify: its checksum is " + stored + " but its content's is "
          + actual + " (damaged or edited)");
    }
    Map<String, String> values = parse(text.substring(0, at));
    String format = require(values, "format");
    if (!format.equals(String.valueOf(FORMAT))) {
      throw new IOException("does not verify: it is of format " + format + ", and this Sabot reads "
          + "format " + FORMAT);
    }
    return new KeptMetadata(require(values, "version"), require(values, "definition"),
        require(values, "schema"), require(values, "key_columns"), require(values, "on_duplicate"),
        number(values, "rows"), number(values, "key_count"), number(values, "replaced"),
        number(values, "null_key_rows"), number(values, "hidden"),
        number(values, "duplicate_keys"));
  }

  private static void line(StringBuilder text, String key, String value) {
    text.append(key).append('=');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> text.append("\\\\");
        case '\n' -> text.append("\\n");
        case '\r' -> text.append("\\r");
        default -> text.append(c);
      }
    }
    text.append('\n');
  }

  private static Map<String, String> parse(String body) throws IOException {
    Map<String, String> values = new HashMap<>();
    for (String line : body.split("\n", -1)) {
      if (line.isEmpty() || line.startsWith("#")) continue;
      int eq = line.indexOf('=');
      if (eq <= 0) throw new IOException("does not verify: a line is not key=value: " + line);
      values.put(line.substring(0, eq), unescape(line.substring(eq + 1)));
    }
    return values;
  }

  private static String unescape(String value) throws IOException {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char next = ++i < value.length() ? value.charAt(i) : '?';
      switch (next) {
        case '\\' -> out.append('\\');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        default -> throw new IOException("does not verify: a value has an unknown escape \\" + next);
      }
    }
    return out.toString();
  }

  private static String require(Map<String, String> values, String key) throws IOException {
    String v = values.get(key);
    if (v == null) throw new IOException("does not verify: it has no " + key);
    return v;
  }

  private static long number(Map<String, String> values, String key) throws IOException {
    String v = require(values, key);
    try {
      long n = Long.parseLong(v);
      if (n >= 0) return n;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IOException("does not verify: its " + key + " is not a count: " + v);
  }

  private static String crc(byte[] bytes, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, length);
    return String.format("%08x", crc.getValue());
  }
}
