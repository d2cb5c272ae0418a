package io.sabot.connect;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import de.siegmar.fastcsv.writer.QuoteStrategies;
import io.sabot.types.ColumnType;
import io.sabot.types.Schema;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Writes rows as CSV (FastCSV): a header row, LF line ends, fields quoted only where RFC 4180
 * needs it, null as an empty field and the empty string as {@code ""} (so {@link CsvSource} reads
 * both back as they were). Doubles print as {@link Double#toString}, timestamps as epoch ms.
 */
public final class CsvSink implements Sink {
  private final Path path;
  private final OutputStream stream;
  private Schema schema;
  private CsvWriter writer;

  private CsvSink(Path path, OutputStream stream) {
    this.path = path;
    this.stream = stream;
  }

  /** A sink that creates (or replaces) {@code path} when opened. */
  public static CsvSink toPath(Path path) {
    return new CsvSink(path, null);
  }

  /** A sink that writes to {@code out} and flushes, but never closes, it. */
  public static CsvSink toStream(OutputStream out) {
    return new CsvSink(null, out);
  }

  @Override
  public void open(Schema schema) throws IOException {
    this.schema = schema;
    writer = CsvWriter.builder()
        .lineDelimiter(LineDelimiter.LF)
        .quoteStrategy(QuoteStrategies.EMPTY)
        .build(SinkOutput.open(path, stream), StandardCharsets.UTF_8);
    writer.writeRecord(schema.names());
  }

  @Override
  public void write(VectorSchemaRoot batch) throws IOException {
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
  public void close() throws IOException {
    if (writer != null) writer.close();
    writer = null;
  }
}
