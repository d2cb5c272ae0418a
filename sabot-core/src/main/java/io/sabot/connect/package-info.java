/**
 * Sources and sinks: the connector SPI, and the glue that builds a job's connectors from its
 * SOURCE and SINK operators. The built-in connectors live in the sub-packages below; connectors in
 * other modules (sabot-kafka) are {@link io.sabot.connect.ConnectorProvider}s, found with
 * {@link java.util.ServiceLoader}.
 *
 * <pre>
 *   Source ─partitions()─► SourcePartition ─open(ReadContext)─► BatchReader ─next()─► batch
 *     a bad record ─► RecordRejecter (OnError: fail, skip, dead_letter)
 *     checkpoint() ─► the sink, with the batch's rows ─► delivered(checkpoint) once durable
 *   ChangelogSource ─openFeed()─► ReferenceFeed: a live reference table (snapshot, poll)
 *   Sink: open ─► write(batch, checkpoint, onDurable) ... ─► finish | flush ─► close
 * </pre>
 *
 * The SPI: {@link io.sabot.connect.Source}, {@link io.sabot.connect.SourcePartition}, {@link
 * io.sabot.connect.BatchReader}, {@link io.sabot.connect.ReadContext}, {@link
 * io.sabot.connect.SourcePosition}, {@link io.sabot.connect.ChangelogSource}, {@link
 * io.sabot.connect.ReferenceFeed}, {@link io.sabot.connect.RecordRejecter}, {@link
 * io.sabot.graph.OnError}, {@link io.sabot.connect.Sink} (with its durability contract) and
 * {@link io.sabot.connect.ConnectorProvider}. The glue: {@link io.sabot.connect.Connectors} checks
 * every SOURCE and SINK parameter before any data is read and builds the connector; {@link
 * io.sabot.connect.SourceCatalog} creates each source of a job once; {@link
 * io.sabot.connect.WriteMode} is a file sink's {@code mode}.
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
 * The sub-packages:
 * <ul>
 *   <li>{@code connect.csv}, {@code connect.jsonl}, {@code connect.arrow}: file sources (one
 *       partition per file of a folder or glob, in natural order) and file sinks, per format.
 *   <li>{@code connect.file}: what those three share: resolving a source's {@code path}, file
 *       partitions, and the durable file output behind every file sink.
 *   <li>{@code connect.text}: the record codecs, shared by the CSV and JSONL readers and sinks and
 *       by connectors in other modules (Kafka record values).
 *   <li>{@code connect.generator}: the benchmark workload; {@code connect.memory}: tables held in
 *       memory; {@code connect.console}: the table printed on stdout, and the discard sink.
 * </ul>
 *
 * A connector package uses the SPI, {@code text} and {@code file}, never another connector
 * package; {@code text} and {@code file} use none of them ({@code
 * LayeringTest.shouldKeepConnectorFormatsApart}). In this package only {@code Connectors} and
 * {@code Parameters} name a sub-package.
 */
package io.sabot.connect;
