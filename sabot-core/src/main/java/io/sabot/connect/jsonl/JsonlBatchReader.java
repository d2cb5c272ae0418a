package io.sabot.connect.jsonl;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ReadContext;
import io.sabot.connect.text.JsonRowDecoder;
import io.sabot.connect.text.VectorAppender;
import io.sabot.types.Schema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Decodes one JSONL file (one JSON object per line) into batches of the projected columns. Each
 * line is staged by a {@link JsonRowDecoder} and appended only if every projected value has the
 * right type; otherwise it goes to the rejecter with its line number. A line with invalid UTF-8,
 * or longer than {@code max_record_bytes}, is rejected without being parsed
 * ({@link JsonlLineReader}).
 */
final class JsonlBatchReader implements BatchReader {
  private final JsonlLineReader in;
  private final String description;
  private final ReadContext context;
  private final VectorAppender appender;
  private final JsonRowDecoder decoder;
  private boolean done;

  private JsonlBatchReader(JsonlLineReader in, String description, ReadContext context,
                           Set<String> inferredColumns) {
    this.in = in;
    this.description = description;
    this.context = context;
    Schema columns = context.columns();
    this.appender = new VectorAppender(columns);
    this.decoder = new JsonRowDecoder(columns, inferredColumns, appender, "lines");
  }

  static JsonlBatchReader open(Path file, String description, ReadContext context,
                               Set<String> inferredColumns, long maxRecordBytes) throws IOException {
    return new JsonlBatchReader(JsonlLineReader.open(file, maxRecordBytes), description, context,
        inferredColumns);
  }

  @Override
  public VectorSchemaRoot next() throws IOException {
    if (done) return null;
    VectorSchemaRoot batch = context.columns().newBatch(context.allocator());
    try {
      appender.start(batch, context.batchSize());
      while (appender.rows() < context.batchSize() && in.next()) {
        String reason = in.problem();
        if (reason == null) {
          if (in.blank()) continue;
          reason = decoder.decodeValid(in.bytes(), in.start(), in.length());
        }
        if (reason == null) {
          appender.appendRow();
        } else {
          context.rejecter().reject(description, in.line(), in.raw(), reason);
        }
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

  @Override
  public void close() throws IOException {
    in.close();
  }
}
