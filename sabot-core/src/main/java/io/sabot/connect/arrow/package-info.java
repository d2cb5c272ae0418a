/**
 * Arrow IPC streams ({@code format: arrow}): {@link io.sabot.connect.arrow.ArrowIpcSource}, one
 * partition per file, and {@link io.sabot.connect.arrow.ArrowIpcSink}; and {@link
 * io.sabot.connect.arrow.ArrowRecords}, a whole batch as one self-contained record, for
 * connectors in other modules (Kafka). Arrow is already columnar: reading moves buffers, it does
 * not decode rows.
 *
 * <pre>
 *   file ─ArrowIpcBatchReader─► record batch ─ArrowColumns─► projected vectors ─► batch
 *                                             (transfer; or copy where a type is widened;
 *                                              DictionaryStrings decodes dictionary columns)
 *   rows ─ArrowIpcSink (schema, [DictionaryMessages,] record batches via VectorUnloader,
 *                       end-of-stream)─► EncodingSink (connect.file)
 * </pre>
 */
package io.sabot.connect.arrow;
