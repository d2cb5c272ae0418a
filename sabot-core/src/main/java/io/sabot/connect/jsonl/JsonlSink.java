package io.sabot.connect.jsonl;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.sabot.connect.WriteMode;
import io.sabot.connect.file.EncodingSink;
import io.sabot.connect.file.SinkOutput;
import io.sabot.connect.text.JsonlFormat;
import io.sabot.types.ColumnType;
import io.sabot.types.Schema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Writes rows as JSON Lines (Jackson's streaming generator): one object per row, keys in column
 * order, null as JSON null, timestamps as epoch ms, NaN and infinities as the strings
 * {@code "NaN"}, {@code "Infinity"} (which {@link JsonlSource} reads back into float64).
 */
public final class JsonlSink extends EncodingSink {
  private JsonGenerator generator;
  private SerializedString[] keys;
  private ColumnType[] types;

  private JsonlSink(SinkOutput output) {
    super(output);
  }

  /** A sink that replaces {@code path} once the input has ended ({@code mode: overwrite}). */
  public static JsonlSink toPath(Path path) {
    return toPath(path, WriteMode.OVERWRITE);
  }

  /** A sink that writes {@code path} as {@code mode} says. */
  public static JsonlSink toPath(Path path, WriteMode mode) {
    return toPath(path, mode, false);
  }

  /**
   * As above; {@code exactlyOnce} ({@code mode} append only) keeps the source position with the
   * rows, so that a rerun starts exactly after the last durable row.
   */
  public static JsonlSink toPath(Path path, WriteMode mode, boolean exactlyOnce) {
    return new JsonlSink(SinkOutput.toFile(path, mode, exactlyOnce));
  }

  /** A sink that writes to {@code out} and flushes, but never closes, it. */
  public static JsonlSink toStream(OutputStream out) {
    return new JsonlSink(SinkOutput.toStream(out));
  }

  @Override
  protected void begin(OutputStream out, Schema schema, Path appendingTo) throws IOException {
    keys = new SerializedString[schema.size()];
    types = new ColumnType[schema.size()];
    for (int c = 0; c < keys.length; c++) {
      keys[c] = new SerializedString(schema.field(c).name());
      types[c] = schema.field(c).type();
    }
    generator = JsonlFormat.FACTORY.createGenerator(out, JsonEncoding.UTF8);
  }

  @Override
  protected void encode(VectorSchemaRoot batch) throws IOException {
    writeRows(generator, batch, keys, types);
  }

  /** Each batch as its own JSON lines, on the worker that built it. */
  @Override
  public BatchEncoder parallelEncoder() {
    SerializedString[] k = keys;
    ColumnType[] t = types;
    return batch -> {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(batch.getRowCount() * 96 + 64);
      try (JsonGenerator g = JsonlFormat.FACTORY.createGenerator(bytes, JsonEncoding.UTF8)) {
        writeRows(g, batch, k, t);
      }
      return bytes.toByteArray();
    };
  }

  private static void writeRows(JsonGenerator generator, VectorSchemaRoot batch,
                                SerializedString[] keys, ColumnType[] types) throws IOException {
    FieldVector[] vectors = batch.getFieldVectors().toArray(new FieldVector[0]);
    for (int row = 0; row < batch.getRowCount(); row++) {
      generator.writeStartObject();
      for (int c = 0; c < keys.length; c++) {
        generator.writeFieldName(keys[c]);
        JsonlFormat.writeValue(generator, vectors[c], types[c], row);
      }
      generator.writeEndObject();
      generator.writeRaw('\n');
    }
  }

  @Override
  protected void flushEncoder() throws IOException {
    if (generator != null) generator.flush();
  }
}
