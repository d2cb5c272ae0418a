package io.sabot.connect.arrow;

import io.sabot.connect.WriteMode;
import io.sabot.connect.file.EncodingSink;
import io.sabot.connect.file.SinkOutput;
import io.sabot.types.Schema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.util.DictionaryUtility;

/**
 * Writes rows as an Arrow IPC stream ({@code format: arrow}): the schema message, one record
 * batch message per batch, the end-of-stream marker; byte for byte what
 * {@link ArrowStreamWriter} writes. It does not use an ArrowStreamWriter with its own root: a
 * sink is given no allocator, and loading a batch into a root from another allocator fails (Arrow
 * moves buffers only within one root allocator). {@link VectorUnloader} just references the
 * batch's buffers, so nothing is copied and the batch stays the caller's. Appending continues the
 * stream: new batches replace the end-of-stream marker, which is written again at the end.
 *
 * <p>With {@code strings: dictionary} ({@link #readsDictionaryStrings}) the reference string
 * columns of static tables arrive as indexes into the table's own column; the schema message then
 * declares them dictionary-encoded, and the dictionaries (whole columns, {@link
 * DictionaryMessages}) go before the first batch of each run. A job that hands over no
 * dictionaries ({@link #useDictionaries} not called: live tables only, or no reference strings)
 * writes plain.
 */
public final class ArrowIpcSink extends EncodingSink {
  private static final byte[] END_OF_STREAM = endOfStream();
  private final boolean dictionaryStrings;
  private WriteChannel channel;
  private Schema schema;
  private org.apache.arrow.vector.types.pojo.Schema encodedSchema; // null: plain
  private DictionaryMessages dictionaries; // null: plain, or already written this run

  private ArrowIpcSink(SinkOutput output, boolean dictionaryStrings) {
    super(output);
    this.dictionaryStrings = dictionaryStrings;
  }

  /** A sink that replaces {@code path} once the input has ended ({@code mode: overwrite}). */
  public static ArrowIpcSink toPath(Path path) {
    return toPath(path, WriteMode.OVERWRITE);
  }

  /** A sink that writes {@code path} as {@code mode} says. */
  public static ArrowIpcSink toPath(Path path, WriteMode mode) {
    return toPath(path, mode, false);
  }

  /**
   * As above; {@code exactlyOnce} ({@code mode} append only) keeps the source position with the
   * rows, so that a rerun starts exactly after the last durable row.
   */
  public static ArrowIpcSink toPath(Path path, WriteMode mode, boolean exactlyOnce) {
    return toPath(path, mode, exactlyOnce, false);
  }

  /**
   * As above; {@code dictionaryStrings} ({@code strings: dictionary}): reference string columns
   * are written dictionary-encoded when the executor hands them over so.
   */
  public static ArrowIpcSink toPath(Path path, WriteMode mode, boolean exactlyOnce,
                                    boolean dictionaryStrings) {
    return new ArrowIpcSink(SinkOutput.toFile(path, mode, exactlyOnce), dictionaryStrings);
  }

  /** A sink that writes to {@code out} and flushes, but never closes, it. */
  public static ArrowIpcSink toStream(OutputStream out) {
    return new ArrowIpcSink(SinkOutput.toStream(out), false);
  }

  @Override
  public boolean readsDictionaryStrings() {
    return dictionaryStrings;
  }

  @Override
  public void useDictionaries(org.apache.arrow.vector.types.pojo.Schema arrowSchema,
                              DictionaryProvider provider) {
    if (!dictionaryStrings) {
      throw new IllegalStateException("Internal error: dictionaries handed to an arrow sink with "
          + "strings: plain; this is a bug in Sabot; please report it");
    }
    // the schema message names each encoded column's value type (utf8), not its index type
    List<Field> fields = new ArrayList<>();
    for (Field f : arrowSchema.getFields()) {
      fields.add(DictionaryUtility.toMessageFormat(f, provider, new java.util.HashSet<>()));
    }
    this.encodedSchema = new org.apache.arrow.vector.types.pojo.Schema(fields);
    this.dictionaries = new DictionaryMessages(arrowSchema, provider);
  }

  @Override
  protected void begin(OutputStream out, Schema schema, Path appendingTo) throws IOException {
    this.schema = schema;
    org.apache.arrow.vector.types.pojo.Schema written =
        encodedSchema != null ? encodedSchema : schema.toArrow();
    if (appendingTo != null) checkSchema(appendingTo, written);
    channel = new WriteChannel(Channels.newChannel(out));
    if (appendingTo == null) MessageSerializer.serialize(channel, written, IpcOption.DEFAULT);
  }

  private static void checkSchema(Path file, org.apache.arrow.vector.types.pojo.Schema written)
      throws IOException {
    org.apache.arrow.vector.types.pojo.Schema existing;
    try (InputStream in = Files.newInputStream(file)) {
      existing = MessageSerializer.deserializeSchema(new ReadChannel(Channels.newChannel(in)));
    } catch (IOException | RuntimeException e) {
      throw new IOException("file=" + file + " is not an Arrow IPC stream to append to: " + e, e);
    }
    if (existing.equals(written)) return;
    if (withoutDictionaries(existing).equals(withoutDictionaries(written))) {
      throw new IOException("file=" + file + " holds the columns this job writes, but its "
          + "dictionary-encoded ones are " + encodedColumns(existing) + " and this job's are "
          + encodedColumns(written) + "; append with the strings: setting the file was written "
          + "with (only static reference tables' strings are encoded), or write to another path");
    }
    throw new IOException("file=" + file + " holds the schema " + existing + " but this job writes "
        + written + "; appending would mix two tables: write to another path, or set "
        + "mode: overwrite");
  }

  private static org.apache.arrow.vector.types.pojo.Schema withoutDictionaries(
      org.apache.arrow.vector.types.pojo.Schema s) {
    List<Field> plain = new ArrayList<>();
    for (Field f : s.getFields()) {
      plain.add(new Field(f.getName(), new FieldType(f.isNullable(), f.getType(), null),
          f.getChildren()));
    }
    return new org.apache.arrow.vector.types.pojo.Schema(plain);
  }

  private static String encodedColumns(org.apache.arrow.vector.types.pojo.Schema s) {
    List<String> names = new ArrayList<>();
    for (Field f : s.getFields()) {
      if (f.getDictionary() != null) names.add(f.getName());
    }
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  @Override
  protected void encode(VectorSchemaRoot batch) throws IOException {
    if (batch.getFieldVectors().size() != schema.size()) {
      throw new IllegalArgumentException("batch has " + batch.getFieldVectors().size()
          + " columns, the sink was opened with " + schema.size() + ": " + schema);
    }
    if (dictionaries != null) { // once per run, before its first batch: a run without rows adds none
      dictionaries.write(channel);
      dictionaries = null;
    }
    try (ArrowRecordBatch records = new VectorUnloader(batch).getRecordBatch()) {
      MessageSerializer.serialize(channel, records, IpcOption.DEFAULT);
    }
  }

  @Override
  protected void flushEncoder() {
    // WriteChannel writes straight through to the output's stream
  }

  @Override
  protected byte[] trailer() {
    return END_OF_STREAM.clone();
  }

  private static byte[] endOfStream() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ArrowStreamWriter.writeEndOfStream(new WriteChannel(Channels.newChannel(bytes)), IpcOption.DEFAULT);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return bytes.toByteArray();
  }
}
