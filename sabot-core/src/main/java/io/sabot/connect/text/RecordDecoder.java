package io.sabot.connect.text;

import io.sabot.types.Schema;
import java.io.IOException;
import java.util.Set;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Decodes single records (a Kafka record's value, say) straight into the vectors of a batch: the
 * same decoding, reject reasons and accepted spellings as the JSONL and CSV file readers, for
 * connectors in other modules.
 *
 * <pre>{@code
 * RecordDecoder d = RecordDecoder.jsonl(columns);
 * VectorSchemaRoot batch = columns.newBatch(allocator);
 * d.start(batch, 8192);
 * for (each record) { String reason = d.decode(value, 0, value.length); if (reason != null) reject(...); }
 * d.finish(batch);   // batch now holds d.rows() rows
 * }</pre>
 *
 * Only the columns given are decoded; other JSON keys are skipped. Not thread-safe: one per
 * reader.
 */
public final class RecordDecoder {
  private interface RowDecoder {
    String decode(byte[] b, int off, int len) throws IOException;
  }

  private final VectorAppender appender;
  private final RowDecoder rows;

  private RecordDecoder(VectorAppender appender, RowDecoder rows) {
    this.appender = appender;
    this.rows = rows;
  }

  /** Each record is one JSON object (UTF-8); {@code columns} are the ones to decode. */
  public static RecordDecoder jsonl(Schema columns) {
    VectorAppender appender = new VectorAppender(columns);
    JsonRowDecoder json = new JsonRowDecoder(columns, Set.of(), appender, "records");
    return new RecordDecoder(appender, json::decode);
  }

  /**
   * Each record is one CSV record (RFC 4180, UTF-8, no header) whose fields are {@code fields}, in
   * order; {@code columns} (a subset of them, in the same order) are the ones to decode.
   */
  public static RecordDecoder csv(Schema columns, Schema fields) {
    VectorAppender appender = new VectorAppender(columns);
    return new RecordDecoder(appender, new CsvRecordDecoder(columns, fields, appender)::decode);
  }

  /** Binds an empty batch with this decoder's columns, allocated for {@code capacity} rows. */
  public void start(VectorSchemaRoot batch, int capacity) {
    appender.start(batch, capacity);
  }

  /**
   * Decodes {@code b[off, off+len)} and appends it as the next row; or, when it cannot be
   * decoded, appends nothing and returns why ({@code column=price value='abc' is not a float64}).
   */
  public String decode(byte[] b, int off, int len) throws IOException {
    String reason = rows.decode(b, off, len);
    if (reason == null) appender.appendRow();
    return reason;
  }

  /** Rows appended to the bound batch. */
  public int rows() {
    return appender.rows();
  }

  /** Sets the bound batch's row count. */
  public void finish(VectorSchemaRoot batch) {
    appender.finish(batch);
  }
}
