/**
 * The connectors that ship in sabot-core, contributed through the same SPI as any other
 * ({@link io.sabot.connect.builtin.BuiltinConnectors}, registered in
 * {@code META-INF/services/io.sabot.connect.ConnectorProvider}): for each, the parameter that
 * picks it, the typed spec it parses, and the source or sink it opens.
 *
 * <pre>
 *   SOURCE  path (+ format, schema, max_record_bytes) → FileSourceSpec → Csv|Jsonl|ArrowIpcSource
 *           generator (+ rows, reference_rows)       → GeneratorSpec  → GeneratorSource
 *           memory: NAME                             → MemorySpec     → MemorySource
 *   SINK    path (+ format, mode, delivery)          → FileSinkSpec   → Csv|Jsonl|ArrowIpcSink
 *           stdout: true (+ format, limit)           → StdoutSpec     → StdoutTableSink, Csv|JsonlSink
 *           discard: true | format: discard          → DiscardSpec    → DiscardSink
 *             (+ materialize: build the output batches, then drop them)
 * </pre>
 *
 * This is the one package that knows every format; the format packages know only the SPI,
 * {@code connect.text} and {@code connect.file}. A file sink's connector also decides its write
 * mode from the stream that feeds it ({@link io.sabot.connect.SinkContext}).
 */
package io.sabot.connect.builtin;
