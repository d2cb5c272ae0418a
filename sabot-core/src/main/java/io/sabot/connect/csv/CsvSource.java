package io.sabot.connect.csv;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CSV files (RFC 4180, a header row, UTF-8, nulls as empty fields) as a source, one partition per
 * file. Parsing is FastCSV's; decoding into Arrow is ours and touches only the projected columns,
 * so a bad value in a column the job does not use never rejects a record.
 *
 * <p>The schema is the first file's header, in file order. Columns named in {@code schema} get
 * the declared type; the others are inferred from the first 10,000 records
 * ({@link CsvTypeInference}). A declared column missing from a header, and a file without the
 * first file's columns, are plan errors, found before any row is read.
 *
 * <p>Values: an unquoted empty field is null; {@code ""} is the empty string in a string column
 * (and null elsewhere); numbers, bools and timestamps may have blanks around them. An empty line
 * is a record of one empty field: a null row in a one-column file (as the CSV sink writes it), and
 * skipped in a file with more columns (it holds no data).
 *
 * <p>Bad records are rejected one by one and reading goes on ({@link CsvFileParser}): invalid
 * UTF-8, a record over {@code max_record_bytes}, a quote still open at the end of the file (the
 * line it opened on), a wrong field count, a value that does not parse.
 *
 * <p>Among several files, one without a header row (empty) adds no rows and is left out; a source
 * whose only file, or every file, is empty is a plan error.
 */
public final class CsvSource implements Source {
  /** The default {@code max_record_bytes}: 8 MiB. */
  public static final long DEFAULT_MAX_RECORD_BYTES = RejectReasons.DEFAULT_MAX_RECORD_BYTES;

  private final List<Path> files;
  private final long maxRecordBytes;
  private final Schema schema;
  private final Set<String> inferred;

  /**
   * Reads the headers (and, for undeclared columns, a sample) now, so the schema is known.
   *
   * @param operator for messages: the SOURCE operator's name
   * @param files    the files, in partition order
   * @param declared declared column types (possibly empty), by header name
   * @throws InvalidJobException when a header is missing, has duplicate or empty names, or lacks
   *                             a declared column; or a file cannot be read
   */
  public CsvSource(String operator, List<Path> files, Map<String, ColumnType> declared) {
    this(operator, files, declared, DEFAULT_MAX_RECORD_BYTES);
  }

  /**
   * @param maxRecordBytes a longer record is rejected (parameter {@code max_record_bytes})
   * @throws InvalidJobException also when {@code maxRecordBytes} is below 1
   */
  public CsvSource(String operator, List<Path> files, Map<String, ColumnType> declared,
                   long maxRecordBytes) {
    if (files.isEmpty()) throw new IllegalArgumentException("no files");
    this.maxRecordBytes = RejectReasons.checkMaxRecordBytes(operator, maxRecordBytes);
    try {
      List<Path> withHeader = new ArrayList<>();
      List<String> header = readHeaders(operator, files, declared, withHeader);
      this.files = List.copyOf(withHeader);
      List<String> toInfer = new ArrayList<>();
      for (String name : header) {
        if (!declared.containsKey(name)) toInfer.add(name);
      }
      Map<String, ColumnType> guessed = CsvTypeInference.infer(this.files, toInfer, maxRecordBytes);
      List<Field> fields = new ArrayList<>();
      for (String name : header) {
        ColumnType t = declared.containsKey(name) ? declared.get(name) : guessed.get(name);
        fields.add(new Field(name, t));
      }
      this.schema = new Schema(fields);
      this.inferred = Set.copyOf(toInfer);
    } catch (IOException | UncheckedIOException e) {
      throw new InvalidJobException("operator=" + operator + " parameter=path cannot be read: "
          + e.getMessage());
    }
  }

  /**
   * The first file's header, after checking every file's header against it; adds the files with
   * a header to {@code withHeader} (an empty file among others adds no rows and is left out).
   */
  private List<String> readHeaders(String operator, List<Path> files,
                                   Map<String, ColumnType> declared, List<Path> withHeader)
      throws IOException {
    List<String> problems = new ArrayList<>();
    List<String> first = null;
    for (Path file : files) {
      List<String> header = CsvHeader.read(file, maxRecordBytes);
      String where = "operator=" + operator + " parameter=path file=" + file;
      if (header == null) {
        if (files.size() == 1) problems.add(where + " is empty; a CSV source needs a header row");
        continue;
      }
      withHeader.add(file);
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < header.size(); i++) {
        if (header.get(i).isEmpty()) {
          problems.add(where + " header column " + (i + 1) + " has no name");
        } else if (!seen.add(header.get(i))) {
          problems.add(where + " header names column=" + header.get(i) + " twice");
        }
      }
      List<String> required = first == null ? new ArrayList<>(declared.keySet()) : first;
      for (String name : required) {
        if (!header.contains(name)) {
          problems.add(where + " has no column=" + name + (first == null ? " (declared in schema)"
              : " (the first file has it)") + "; header: " + String.join(", ", header));
        }
      }
      if (first == null) first = header;
    }
    if (first == null && problems.isEmpty()) {
      problems.add("operator=" + operator + " parameter=path every one of the " + files.size()
          + " files is empty; a CSV source needs a header row");
    }
    if (!problems.isEmpty()) throw new InvalidJobException(problems);
    return first;
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
          CsvBatchReader.open(f, description, context, inferred, maxRecordBytes)));
    }
    return out;
  }
}
