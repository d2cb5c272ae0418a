package io.sabot.connect.csv;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import de.siegmar.fastcsv.writer.QuoteStrategies;
import io.sabot.connect.WriteMode;
import io.sabot.connect.file.EncodingSink;
import io.sabot.connect.file.SinkOutput;
import io.sabot.connect.text.ColumnValues;
import io.sabot.types.ColumnType;
import io.sabot.types.Schema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Writes rows as CSV (FastCSV): a header row, LF line ends, fields quoted only where RFC 4180
 * needs it, null as an empty field and the empty string as {@code ""} (so {@link CsvSource} reads
 * both back as they were). Doubles print as {@link Double#toString}, timestamps as epoch ms.
 * Appending to a file writes no second header, and requires the file's header to be this one.
 */
public final class CsvSink extends EncodingSink {
  private Schema schema;
  private CsvWriter writer;

  private CsvSink(SinkOutput output) {
    super(output);
  }

  /** A sink that replaces {@code path} once the input has ended ({@code mode: overwrite}). */
  public static CsvSink toPath(Path path) {
    return toPath(path, WriteMode.OVERWRITE);
  }

  /** A sink that writes {@code path} as {@code mode} says. */
  public static CsvSink toPath(Path path, WriteMode mode) {
    return toPath(path, mode, false);
  }

  /**
   * As above; {@code exactlyOnce} ({@code mode} append only) keeps the source position with the
   * rows, so that a rerun starts exactly after the last durable row.
   */
  public static CsvSink toPath(Path path, WriteMode mode, boolean exactlyOnce) {
    return new CsvSink(SinkOutput.toFile(path, mode, exactlyOnce));
  }

  /** A sink that writes to {@code out} and flushes, but never closes, it. */
  public static CsvSink toStream(OutputStream out) {
    return new CsvSink(SinkOutput.toStream(out));
  }

  @Override
  protected void begin(OutputStream out, Schema schema, Path appendingTo) throws IOException {
    this.schema = schema;
    if (appendingTo != null) checkHeader(appendingTo, schema);
    writer = newWriter(out);
    if (appendingTo == null) writer.writeRecord(schema.names());
  }

  private static void checkHeader(Path file, Schema schema) throws IOException {
    List<String> header;
    try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(file)) {
      Iterator<CsvRecord> records = reader.iterator();
      header = records.hasNext() ? records.next().getFields() : List.of();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (RuntimeException e) {
      throw new IOException("file=" + file + " is not a CSV file to append to: " + e.getMessage(), e);
    }
    if (!header.equals(schema.names())) {
      throw new IOException("file=" + file + " has the header " + String.join(",", header)
          + " but this job writes " + String.join(",", schema.names())
          + "; appending would mix two tables: write to another path, or set mode: overwrite");
    }
  }

  @Override
  protected void encode(VectorSchemaRoot batch) throws IOException {
    writeRows(writer, batch, schema);
  }

  /** Each batch as its own CSV rows (no header), on the worker that built it. */
  @Override
  public BatchEncoder parallelEncoder() {
    Schema s = schema;
    return batch -> {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(batch.getRowCount() * 64 + 64);
      CsvWriter w = newWriter(bytes);
      writeRows(w, batch, s);
      w.flush();
      return bytes.toByteArray();
    };
  }

  private static CsvWriter newWriter(OutputStream out) {
    return CsvWriter.builder()
        .lineDelimiter(LineDelimiter.LF)
        .quoteStrategy(QuoteStrategies.EMPTY)
        .build(out, StandardCharsets.UTF_8);
  }

  private static void writeRows(CsvWriter writer, VectorSchemaRoot batch, Schema schema)
      throws IOException {
    int columns = schema.size();
    FieldVector[] vectors = batch.getFieldVectors().toArray(new FieldVector[0]);
    ColumnType[] types = new ColumnType[columns];
    for (int c = 0; c < columns; c++) types[c] = schema.field(c).type();
    try {
      for (int row = 0; row < batch.getRowCount(); row++) {
        CsvWriter.CsvWriterRecord record = writer.writeRecord();
        for (int c = 0; c < columns; c++) record.writeField(ColumnValues.text(vectors[c], types[c], row));
        record.endRecord();
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  protected void flushEncoder() throws IOException {
    if (writer != null) writer.flush();
  }
}
