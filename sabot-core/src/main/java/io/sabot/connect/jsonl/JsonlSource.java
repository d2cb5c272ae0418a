package io.sabot.connect.jsonl;

import io.sabot.connect.file.LineEstimate;
import java.util.OptionalLong;
import io.sabot.connect.Source;
import io.sabot.connect.SourcePartition;
import io.sabot.connect.file.FilePartition;
import io.sabot.connect.text.RejectReasons;
import io.sabot.error.InvalidJobException;
import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON Lines files (one object per line, UTF-8) as a source, one partition per file.
 *
 * <p>With {@code schema}, the columns are exactly the declared ones, in declared order (other keys
 * are ignored: unlike a CSV header, a JSON file has no cheap list of its keys). Without it, the
 * schema is inferred from the first 10,000 lines ({@link JsonlTypeInference}).
 *
 * <p>A line that is blank is skipped; one with invalid UTF-8, longer than
 * {@code max_record_bytes}, not one JSON object, or with a value of the wrong type is rejected
 * with its line number, and reading goes on. An empty file adds no rows.
 */
public final class JsonlSource implements Source {
  private final List<Path> files;
  private final long maxRecordBytes;
  private final Schema schema;
  private final Set<String> inferred;

  /**
   * @param operator for messages: the SOURCE operator's name
   * @param files    the files, in partition order
   * @param declared the declared columns, or empty to infer them
   */
  public JsonlSource(String operator, List<Path> files, Map<String, ColumnType> declared) {
    this(operator, files, declared, RejectReasons.DEFAULT_MAX_RECORD_BYTES);
  }

  /**
   * @param maxRecordBytes a longer line is rejected (parameter {@code max_record_bytes})
   * @throws InvalidJobException also when {@code maxRecordBytes} is below 1
   */
  public JsonlSource(String operator, List<Path> files, Map<String, ColumnType> declared,
                     long maxRecordBytes) {
    if (files.isEmpty()) throw new IllegalArgumentException("no files");
    this.files = List.copyOf(files);
    this.maxRecordBytes = RejectReasons.checkMaxRecordBytes(operator, maxRecordBytes);
    Map<String, ColumnType> types = declared;
    if (declared.isEmpty()) {
      try {
        types = JsonlTypeInference.infer(this.files, maxRecordBytes);
      } catch (IOException | UncheckedIOException e) {
        throw new InvalidJobException("operator=" + operator + " parameter=path cannot be read: "
            + e.getMessage());
      }
      if (types.isEmpty()) {
        throw new InvalidJobException("operator=" + operator + " parameter=path file="
            + this.files.get(0) + " has no JSON object with keys in its first "
            + RejectReasons.INFERENCE_SAMPLE + " lines to infer a schema from; declare schema");
      }
    }
    List<Field> fields = new ArrayList<>();
    types.forEach((name, type) -> fields.add(new Field(name, type)));
    this.schema = new Schema(fields);
    this.inferred = declared.isEmpty() ? Set.copyOf(types.keySet()) : Set.of();
  }

  @Override
  public OptionalLong estimatedRows() {
    return LineEstimate.of(files);
  }

  @Override
  public Schema schema() {
    return schema;
  }

  /** True when the column's type was inferred from the data rather than declared. */
  public boolean isInferred(String column) {
    return inferred.contains(column);
  }

  @Override
  public List<SourcePartition> partitions() {
    List<SourcePartition> out = new ArrayList<>(files.size());
    for (Path file : files) {
      out.add(new FilePartition(file, (f, description, context) ->
          JsonlBatchReader.open(f, description, context, inferred, maxRecordBytes)));
    }
    return out;
  }
}
