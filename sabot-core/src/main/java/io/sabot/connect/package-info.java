/**
 * Sources and sinks: the SPI ({@link io.sabot.connect.Source}, {@link
 * io.sabot.connect.SourcePartition}, {@link io.sabot.connect.BatchReader}, {@link
 * io.sabot.connect.Sink}, {@link io.sabot.connect.ConnectorProvider} for connectors in other
 * modules such as Kafka) and the built-in connectors: CSV, JSONL and Arrow IPC files (one
 * partition per file of a folder or glob, in natural order), the benchmark generator, in-memory
 * tables, the console and discard sinks, and the text codecs Kafka shares.
 *
 * <pre>
 *   SOURCE  path (+ format, schema)        → CsvSource | JsonlSource | ArrowIpcSource
 *           generator (+ rows, reference_rows) → GeneratorSource
 *           memory: NAME                   → MemorySource (a table in MemoryTables)
 *           kafka_topic                    → a ConnectorProvider (the sabot-kafka module)
 *   SINK    path (+ format, mode)          → CsvSink | JsonlSink | ArrowIpcSink
 *           stdout: true (+ format, limit) → StdoutTableSink | CsvSink | JsonlSink on stdout
 *           discard: true | format: discard → DiscardSink
 * </pre>
 *
 * {@link io.sabot.connect.Connectors} checks every SOURCE and SINK parameter before any data is
 * read. Readers decode straight into Arrow vectors, only the columns the plan reads, and reject
 * bad records one by one ({@link io.sabot.connect.OnError}). File sinks keep the durability
 * contract of {@link io.sabot.connect.Sink} through {@link io.sabot.connect.EncodingSink}:
 *
 * <pre>
 *   write ─► encode ─► output stream ─┬─ every SYNC_EVERY_MS, flush, finish: output.sync()
 *   onDurable ─► pending ─────────────┘   ─► written for good? run pending (in order)
 *   finish ─► trailer ─► output.publish() ─► run pending          close without finish ─► abandon
 * </pre>
 */
package io.sabot.connect;
