/**
 * Sources and sinks: the source/sink SPI, the connector SPI, and the registry that opens a job's
 * connectors from its SOURCE and SINK specs. Every connector, built-in or not, is contributed by a
 * {@link io.sabot.connect.ConnectorProvider} found with {@link java.util.ServiceLoader}; this
 * package names none of them.
 *
 * <pre>
 *   Source ─partitions()─► SourcePartition ─open(ReadContext)─► BatchReader ─next()─► batch
 *     a bad record ─► RecordRejecter (OnError: fail, skip, dead_letter)
 *     checkpoint() ─► the sink, with the batch's rows ─► delivered(checkpoint) once durable
 *   ChangelogSource ─openFeed()─► ReferenceFeed: a live reference table (snapshot, poll)
 *   Sink: open ─► write(batch, checkpoint, onDurable) ... ─► finish | flush ─► close
 *
 *   ConnectorProvider ─► SourceConnector: selector, parameters, parse ─► ConnectorSpec, open ─► Source
 *                     └► SinkConnector:   selector, parameters, parse ─► ConnectorSpec, open ─► Sink
 * </pre>
 *
 * The SPI: {@link io.sabot.connect.Source}, {@link io.sabot.connect.SourcePartition}, {@link
 * io.sabot.connect.BatchReader}, {@link io.sabot.connect.ReadContext}, {@link
 * io.sabot.connect.SourcePosition}, {@link io.sabot.connect.ChangelogSource}, {@link
 * io.sabot.connect.ReferenceFeed}, {@link io.sabot.connect.RecordRejecter}, {@link
 * io.sabot.connect.Sink} (with its durability contract), {@link
 * io.sabot.connect.ConnectorProvider}, {@link io.sabot.connect.SourceConnector}, {@link
 * io.sabot.connect.SinkConnector}, {@link io.sabot.connect.SinkContext}. The glue: {@link
 * io.sabot.connect.Connectors} picks the connector a node's parameters name, has it parse its
 * spec (as {@code graph}'s {@link io.sabot.graph.ConnectorSpecParser}) and open what the spec
 * describes; {@link io.sabot.connect.SourceCatalog} creates each source of a job once; {@link
 * io.sabot.connect.WriteMode} is a file sink's {@code mode}.
 *
 * The sub-packages:
 * <ul>
 *   <li>{@code connect.builtin}: the built-in connectors and their specs (which parameters pick
 *       which source or sink).
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
 * LayeringTest.shouldKeepConnectorFormatsApart}); only {@code builtin} knows them all, and this
 * package none ({@code LayeringTest.shouldKeepTheConnectorSpiFreeOfConnectors}).
 */
package io.sabot.connect;
