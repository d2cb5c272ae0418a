/**
 * The record codecs: text (CSV fields, JSON objects) to Arrow vectors and back, with the same
 * accepted spellings and the same reject reasons wherever a record comes from. The CSV and JSONL
 * file readers and sinks use the pieces; connectors in other modules (Kafka) decode and encode one
 * record at a time with {@link io.sabot.connect.text.RecordDecoder} and {@link
 * io.sabot.connect.text.RecordEncoder}. Nothing here knows a connector.
 *
 * <pre>
 *   decode  UTF-8 bytes ─Utf8─► field text ─TextFieldDecoder (ValueParser)─┐
 *                               JSON object ─JsonRowDecoder────────────────┴─► staging row
 *                                 flat object: FlatJsonScanner, one pass over the bytes;
 *                                 anything else (escapes, nesting, errors): Jackson
 *           staging row ─VectorAppender.appendRow()─► vectors
 *           a bad value: nothing is appended; RejectReasons words the reason
 *   encode  vectors ─ColumnValues─► CSV text | JSON (JsonlFormat.writeValue) ─► bytes
 * </pre>
 *
 * <ul>
 *   <li>{@link io.sabot.connect.text.RecordDecoder}, {@code CsvRecordDecoder}, {@link
 *       io.sabot.connect.text.JsonRowDecoder}: one record (a CSV record, a JSON object) per call.
 *   <li>{@code FlatJsonScanner}: JsonRowDecoder's fast path for flat objects, exactly as Jackson
 *       would decode them or not at all.
 *   <li>{@link io.sabot.connect.text.RecordEncoder}: a batch as one record per row.
 *   <li>{@link io.sabot.connect.text.TextFieldDecoder}, {@link io.sabot.connect.text.ValueParser}:
 *       one field's text as a value of its column's type.
 *   <li>{@link io.sabot.connect.text.VectorAppender}: stages a row, appends it whole or not at all.
 *   <li>{@link io.sabot.connect.text.Utf8}, {@link io.sabot.connect.text.ColumnValues}, {@link
 *       io.sabot.connect.text.JsonlFormat} (the Jackson factory), {@link
 *       io.sabot.connect.text.RejectReasons} (the wording of rejects, and the record limits).
 * </ul>
 */
package io.sabot.connect.text;
