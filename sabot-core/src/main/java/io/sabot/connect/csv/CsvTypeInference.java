package io.sabot.connect.csv;

import io.sabot.connect.text.RejectReasons;
import io.sabot.connect.text.ValueParser;
import io.sabot.types.ColumnType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Guesses the types of undeclared CSV columns from the first {@value RejectReasons#INFERENCE_SAMPLE}
 * records (across the files, in order): int64 if every non-empty value is an integer, else
 * float64 if every one is a number, else bool if every one is true/false, else string. A column
 * with a leading zero anywhere ({@code 000123}, not {@code 0} or {@code 0.5}) stays a string, as
 * identifiers such as CUSIPs keep their zeros; so does a column that is empty in every sampled
 * row. A whole number beyond int64 anywhere makes the column a string, so that every value keeps
 * its exact digits (as float64, {@code 5} would read as {@code 5.0} and the big number would lose
 * digits). Records whose field count differs from the header, and records that cannot be read
 * (invalid UTF-8, too long), are left out (they will be rejected); so are empty lines unless
 * the header has one column.
 */
final class CsvTypeInference {
  private CsvTypeInference() {}

  /** The inferred type of each of {@code columns}, in the given order. */
  static Map<String, ColumnType> infer(List<Path> files, List<String> columns, long maxRecordBytes)
      throws IOException {
    ColumnGuess[] guesses = new ColumnGuess[columns.size()];
    for (int i = 0; i < guesses.length; i++) guesses[i] = new ColumnGuess();
    ValueParser parser = new ValueParser();
    int sampled = 0;
    for (Path file : files) {
      if (sampled >= RejectReasons.INFERENCE_SAMPLE || columns.isEmpty()) break;
      CsvFieldBuffer buffer = new CsvFieldBuffer();
      try (CsvFileParser records = CsvFileParser.open(file, buffer, maxRecordBytes)) {
        List<String> header = CsvHeader.next(file, records, buffer);
        if (header == null) continue;
        int[] index = CsvHeader.indexes(header, columns);
        while (sampled < RejectReasons.INFERENCE_SAMPLE && records.next()) {
          if (buffer.problem() != null || buffer.fieldCount() != header.size()) continue;
          sampled++;
          for (int i = 0; i < guesses.length; i++) {
            int f = index[i];
            if (f >= 0) guesses[i].observe(buffer.chars(), buffer.start(f), buffer.length(f), parser);
          }
        }
      }
    }
    Map<String, ColumnType> types = new LinkedHashMap<>();
    for (int i = 0; i < guesses.length; i++) types.put(columns.get(i), guesses[i].result());
    return types;
  }

  /** What the values of one column seen so far could all be. */
  static final class ColumnGuess {
    private boolean sawValue;
    private boolean leadingZero;
    private boolean canInt = true;
    private boolean canFloat = true;
    private boolean canBool = true;
    private boolean beyondInt64;

    void observe(char[] c, int off, int len, ValueParser parser) {
      int start = ValueParser.trimStart(c, off, len);
      int n = ValueParser.trimEnd(c, start, off + len) - start;
      if (n == 0) return;
      sawValue = true;
      if (leadingZero || beyondInt64 || !(canInt || canFloat || canBool)) return;
      if (ValueParser.hasLeadingZero(c, start, n)) {
        leadingZero = true;
        return;
      }
      boolean fits = parser.parseLong(c, start, n);
      if (!fits && ValueParser.isWholeNumber(c, start, n)) {
        beyondInt64 = true;
        return;
      }
      if (!fits) canInt = false;
      if (!canInt && canFloat && !parser.parseDouble(c, start, n)) canFloat = false;
      if (canBool && !parser.parseBool(c, start, n)) canBool = false;
    }

    ColumnType result() {
      if (!sawValue || leadingZero || beyondInt64) return ColumnType.STRING;
      if (canInt) return ColumnType.INT64;
      if (canFloat) return ColumnType.FLOAT64;
      if (canBool) return ColumnType.BOOL;
      return ColumnType.STRING;
    }
  }
}
