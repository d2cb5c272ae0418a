package io.sabot.connect.text;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import de.siegmar.fastcsv.writer.QuoteStrategies;
import io.sabot.types.ColumnType;
import io.sabot.types.Schema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Encodes a batch as one record per row (for Kafka sinks): the whole batch is written in one pass
 * into one reused buffer, exactly as the JSONL or CSV file sink would write it (without the CSV
 * header and without line ends), and each row's value is then a slice of that buffer.
 *
 * <pre>{@code
 * RecordEncoder e = RecordEncoder.jsonl(schema);
 * e.encode(batch);
 * for (int row = 0; row < e.rows(); row++) send(e.value(row));
 * }</pre>
 */
public final class RecordEncoder {
  private interface RowWriter {
    void write(FieldVector[] vectors, int row) throws IOException;

    void flush() throws IOException;
  }

  /** A byte buffer whose array the encoder slices. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer() {
      super(1 << 16);
    }

    byte[] array() {
      return buf;
    }
  }

  private final Buffer buffer;
  private final RowWriter writer;
  private int[] starts = new int[1024];
  private int[] ends = new int[1024];
  private int rows;

  private RecordEncoder(Buffer buffer, RowWriter writer) {
    this.buffer = buffer;
    this.writer = writer;
  }

  /**
   * One JSON object per row, keys in column order (as {@link io.sabot.connect.jsonl.JsonlSink}
   * writes a line).
   */
  public static RecordEncoder jsonl(Schema schema) throws IOException {
    Buffer buffer = new Buffer();
    JsonGenerator g = JsonlFormat.FACTORY.createGenerator(buffer, JsonEncoding.UTF8);
    SerializedString[] keys = new SerializedString[schema.size()];
    ColumnType[] types = types(schema);
    for (int c = 0; c < keys.length; c++) keys[c] = new SerializedString(schema.field(c).name());
    return new RecordEncoder(buffer, new RowWriter() {
      @Override
      public void write(FieldVector[] vectors, int row) throws IOException {
        g.writeStartObject();
        for (int c = 0; c < keys.length; c++) {
          g.writeFieldName(keys[c]);
          JsonlFormat.writeValue(g, vectors[c], types[c], row);
        }
        g.writeEndObject();
      }

      @Override
      public void flush() throws IOException {
        g.flush();
      }
    });
  }

  /**
   * One CSV record per row, fields in column order, no header (as
   * {@link io.sabot.connect.csv.CsvSink} writes a row).
   */
  public static RecordEncoder csv(Schema schema) {
    Buffer buffer = new Buffer();
    CsvWriter w = CsvWriter.builder().lineDelimiter(LineDelimiter.LF)
        .quoteStrategy(QuoteStrategies.EMPTY).build(buffer, StandardCharsets.UTF_8);
    ColumnType[] types = types(schema);
    return new RecordEncoder(buffer, new RowWriter() {
      @Override
      public void write(FieldVector[] vectors, int row) {
        CsvWriter.CsvWriterRecord record = w.writeRecord();
        for (int c = 0; c < types.length; c++) record.writeField(ColumnValues.text(vectors[c], types[c], row));
        record.endRecord();
      }

      @Override
      public void flush() throws IOException {
        w.flush();
      }
    });
  }

  /** Encodes every row of {@code batch} (which stays the caller's). */
  public void encode(VectorSchemaRoot batch) throws IOException {
    FieldVector[] vectors = batch.getFieldVectors().toArray(new FieldVector[0]);
    rows = batch.getRowCount();
    if (ends.length < rows) {
      starts = new int[Math.max(rows, ends.length * 2)];
      ends = new int[starts.length];
    }
    buffer.reset();
    try {
      for (int row = 0; row < rows; row++) {
        starts[row] = buffer.size();
        writer.write(vectors, row);
        writer.flush();
        int end = buffer.size();
        // a record is one row, not one line of a file: no line end
        if (end > starts[row] && buffer.array()[end - 1] == '\n') end--;
        ends[row] = end;
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Rows of the last encoded batch. */
  public int rows() {
    return rows;
  }

  /** The encoded row, as a new array (a Kafka record keeps it until it is sent). */
  public byte[] value(int row) {
    return Arrays.copyOfRange(buffer.array(), starts[row], ends[row]);
  }

  /**
   * A value as record-key text (UTF-8): integers and timestamps in decimal, doubles as
   * {@link Double#toString}, bools as true/false, strings as they are; null for null.
   */
  public static byte[] keyText(FieldVector v, ColumnType type, int row) {
    if (v.isNull(row)) return null;
    if (type == ColumnType.STRING) return ColumnValues.getUtf8(v, row);
    return ColumnValues.text(v, type, row).getBytes(StandardCharsets.UTF_8);
  }

  private static ColumnType[] types(Schema schema) {
    ColumnType[] types = new ColumnType[schema.size()];
    for (int c = 0; c < types.length; c++) types[c] = schema.field(c).type();
    return types;
  }
}
