/**
 * JSON Lines files (one object per line, UTF-8): {@link io.sabot.connect.jsonl.JsonlSource}, one
 * partition per file, and {@link io.sabot.connect.jsonl.JsonlSink}. A line with invalid UTF-8,
 * longer than {@code max_record_bytes}, not one JSON object or with a value of the wrong type is
 * rejected with its line number, and reading goes on.
 *
 * <pre>
 *   file ─JsonlLineReader─► line bytes ─JsonRowDecoder (connect.text)─► staging row ─► batch
 *        JsonlTypeInference: a schema from the first lines, when none is declared
 *   rows ─JsonlSink (Jackson, JsonlFormat of connect.text)─► EncodingSink (connect.file)
 * </pre>
 */
package io.sabot.connect.jsonl;
