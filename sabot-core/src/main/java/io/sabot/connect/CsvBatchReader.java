package io.sabot.connect;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import io.sabot.types.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Decodes one CSV file into batches of the projected columns. Each record is first decoded into
 * the {@link VectorAppender}'s staging row, field by field (only the projected fields are looked
 * at); the row is appended only when every one of them is valid, otherwise the record goes to the
 * rejecter with its starting line and the reason.
 *
 * <pre>
 *   file ─FastCSV─► CsvFieldBuffer (chars of all fields) ─projected fields─► staging row ─► vectors
 *                                                                 └─ bad value ─► rejecter
 * </pre>
 */
final class CsvBatchReader implements BatchReader {
  private final CsvReader<CsvFieldBuffer> reader;
  private final Iterator<CsvFieldBuffer> records;
  private final CsvFieldBuffer buffer;
  private final Path file;
  private final String description;
  private final ReadContext context;
  private final int headerSize;
  private final int[] fieldIndex;
  private final String[] names;
  private final boolean[] inferred;
  private final VectorAppender appender;
  private final TextFieldDecoder decoder = new TextFieldDecoder();
  private boolean done;

  private CsvBatchReader(CsvReader<CsvFieldBuffer> reader, CsvFieldBuffer buffer, Path file,
                         String description, ReadContext context, List<String> header,
                         Set<String> inferredColumns) throws IOException {
    this.reader = reader;
    this.records = reader.iterator();
    this.buffer = buffer;
    this.file = file;
    this.description = description;
    this.context = context;
    Schema columns = context.columns();
    this.headerSize = header.size();
    this.fieldIndex = CsvHeader.indexes(header, columns.names());
    this.names = columns.names().toArray(new String[0]);
    this.inferred = new boolean[names.length];
    for (int i = 0; i < names.length; i++) {
      if (fieldIndex[i] < 0) {
        throw new IOException("file=" + file + " has no column=" + names[i]
            + " (did it change since the job was planned?); header: " + String.join(", ", header));
      }
      inferred[i] = inferredColumns.contains(names[i]);
    }
    this.appender = new VectorAppender(columns);
  }

  /** Opens {@code file} and reads its header. */
  static CsvBatchReader open(Path file, String description, ReadContext context,
                             Set<String> inferredColumns) throws IOException {
    CsvFieldBuffer buffer = new CsvFieldBuffer();
    CsvReader<CsvFieldBuffer> reader = CsvFieldBuffer.open(file, buffer);
    try {
      List<String> header = CsvHeader.next(reader.iterator(), buffer);
      if (header == null) throw new IOException("file=" + file + " is empty; a CSV source needs a header row");
      return new CsvBatchReader(reader, buffer, file, description, context, header, inferredColumns);
    } catch (IOException e) {
      reader.close();
      throw e;
    } catch (RuntimeException e) {
      reader.close();
      throw parseFailure(file, e);
    }
  }

  @Override
  public VectorSchemaRoot next() throws IOException {
    if (done) return null;
    VectorSchemaRoot batch = context.columns().newBatch(context.allocator());
    try {
      appender.start(batch, context.batchSize());
      while (appender.rows() < context.batchSize() && records.hasNext()) {
        records.next();
        if (decode()) appender.appendRow();
      }
      if (appender.rows() == 0) {
        done = true;
        batch.close();
        return null;
      }
      appender.finish(batch);
      return batch;
    } catch (CsvParseException | UncheckedIOException e) {
      batch.close();
      throw parseFailure(file, e);
    } catch (Throwable t) {
      batch.close();
      throw t;
    }
  }

  /** Stages the current record; false (after rejecting it) when it cannot be decoded. */
  private boolean decode() {
    if (buffer.fieldCount() != headerSize) {
      reject("record has " + buffer.fieldCount() + " fields, header has " + headerSize);
      return false;
    }
    char[] chars = buffer.chars();
    for (int i = 0; i < fieldIndex.length; i++) {
      int f = fieldIndex[i];
      if (!decoder.stage(appender, i, chars, buffer.start(f), buffer.length(f), !buffer.quoted(f))) {
        String reason = RejectReasons.notA(names[i], buffer.field(f), appender.type(i));
        reject(inferred[i] ? reason + RejectReasons.inferredNote("rows") : reason);
        return false;
      }
    }
    return true;
  }

  private void reject(String reason) {
    context.rejecter().reject(description, buffer.line(), buffer.toCsvLine(), reason);
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  /** A file FastCSV cannot parse at all (say, a field past its size limit) as an IOException. */
  static IOException parseFailure(Path file, RuntimeException e) {
    if (e instanceof UncheckedIOException) return ((UncheckedIOException) e).getCause();
    if (e instanceof CsvParseException) {
      return new IOException("file=" + file + " is not valid CSV: " + e.getMessage(), e);
    }
    throw e;
  }
}
