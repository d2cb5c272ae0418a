package io.sabot.connect.csv;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ReadContext;
import io.sabot.connect.text.RejectReasons;
import io.sabot.connect.text.TextFieldDecoder;
import io.sabot.connect.text.VectorAppender;
import io.sabot.types.Schema;
import java.io.IOException;
import java.nio.file.Path;
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
 *   file ─CsvFileParser─► CsvFieldBuffer (chars of all fields) ─projected fields─► staging row ─► vectors
 *              └─ invalid UTF-8, too long, open quote ─► rejecter   └─ bad value, field count ─► rejecter
 * </pre>
 *
 * An empty line is a record of one empty field: with a one-column header it is a row whose value
 * is null (what the CSV sink writes for a null there), with more columns it is skipped, as it
 * holds no data. A record whose field count is wrong and that spans several lines is rejected
 * whole, with a note that a quote may be missing: nothing is merged into a row silently.
 */
final class CsvBatchReader implements BatchReader {
  private final CsvFileParser parser;
  private final CsvFieldBuffer buffer;
  private final String description;
  private final ReadContext context;
  private final int headerSize;
  private final int[] fieldIndex;
  private final String[] names;
  private final boolean[] inferred;
  private final VectorAppender appender;
  private final TextFieldDecoder decoder = new TextFieldDecoder();
  private boolean done;

  private CsvBatchReader(CsvFileParser parser, CsvFieldBuffer buffer, Path file,
                         String description, ReadContext context, List<String> header,
                         Set<String> inferredColumns) throws IOException {
    this.parser = parser;
    this.buffer = buffer;
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

  /** Opens {@code file} and reads its header; longer records are rejected. */
  static CsvBatchReader open(Path file, String description, ReadContext context,
                             Set<String> inferredColumns, long maxRecordBytes) throws IOException {
    CsvFieldBuffer buffer = new CsvFieldBuffer();
    CsvFileParser parser = CsvFileParser.open(file, buffer, maxRecordBytes);
    try {
      List<String> header = CsvHeader.next(file, parser, buffer);
      if (header == null) throw new IOException("file=" + file + " is empty; a CSV source needs a header row");
      return new CsvBatchReader(parser, buffer, file, description, context, header, inferredColumns);
    } catch (IOException | RuntimeException e) {
      parser.close();
      throw e;
    }
  }

  @Override
  public VectorSchemaRoot next() throws IOException {
    if (done) return null;
    VectorSchemaRoot batch = context.columns().newBatch(context.allocator());
    try {
      appender.start(batch, context.batchSize());
      while (appender.rows() < context.batchSize() && parser.next()) {
        if (decode()) appender.appendRow();
      }
      if (appender.rows() == 0) {
        done = true;
        batch.close();
        return null;
      }
      appender.finish(batch);
      return batch;
    } catch (Throwable t) {
      batch.close();
      throw t;
    }
  }

  /** Stages the current record; false (after rejecting it) when it cannot be decoded. */
  private boolean decode() {
    if (buffer.problem() != null) {
      context.rejecter().reject(description, buffer.line(), buffer.raw(), buffer.problem());
      return false;
    }
    if (buffer.blank() && headerSize != 1) return false;
    if (buffer.fieldCount() != headerSize) {
      String reason = "record has " + buffer.fieldCount() + " fields, header has " + headerSize;
      if (buffer.lastLine() > buffer.line()) {
        reason += " (it runs from line " + buffer.line() + " to line " + buffer.lastLine()
            + ": a quoted field may lack its closing quote)";
      }
      reject(reason);
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
    parser.close();
  }
}
