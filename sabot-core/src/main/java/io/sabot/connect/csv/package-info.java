/**
 * CSV files (RFC 4180, a header row, UTF-8, null as an empty field): {@link
 * io.sabot.connect.csv.CsvSource}, one partition per file, and {@link
 * io.sabot.connect.csv.CsvSink}. Records are parsed from bytes by our own parser, so a bad record
 * (invalid UTF-8, too long, a quote never closed, a wrong field count, a bad value) is rejected
 * with its line and reading goes on; only the projected fields are decoded.
 *
 * <pre>
 *   file ─CsvFileParser─► CsvFieldBuffer ─CsvBatchReader─► staging row (connect.text) ─► batch
 *        CsvHeader: the header row        CsvTypeInference: undeclared columns' types
 *        CsvText: a rejected record re-joined as CSV, for its dead letter
 *   rows ─CsvSink (FastCSV's writer)─► EncodingSink (connect.file) ─► file or stdout
 * </pre>
 */
package io.sabot.connect.csv;
