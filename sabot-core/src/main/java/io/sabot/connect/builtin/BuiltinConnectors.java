package io.sabot.connect.builtin;

import io.sabot.connect.ConnectorProvider;
import io.sabot.connect.SinkConnector;
import io.sabot.connect.SourceConnector;
import java.util.List;

/**
 * The connectors that ship in sabot-core, registered in
 * {@code META-INF/services/io.sabot.connect.ConnectorProvider} like any other.
 *
 * <pre>
 *   SOURCE  path (+ format, schema, max_record_bytes) → FileSourceSpec  → Csv|Jsonl|ArrowIpcSource
 *           generator (+ rows, reference_rows)       → GeneratorSpec   → GeneratorSource
 *           memory: NAME                             → MemorySpec      → MemorySource
 *   SINK    path (+ format, mode, delivery)          → FileSinkSpec    → Csv|Jsonl|ArrowIpcSink
 *           stdout: true (+ format, limit)           → StdoutSpec      → StdoutTableSink | Csv|JsonlSink
 *           discard: true | format: discard          → DiscardSpec     → DiscardSink
 *             (+ materialize: build the output batches, then drop them)
 * </pre>
 */
public final class BuiltinConnectors implements ConnectorProvider {
  @Override
  public List<SourceConnector> sources() {
    return List.of(new FileSourceConnector(), new GeneratorConnector(), new MemoryConnector());
  }

  @Override
  public List<SinkConnector> sinks() {
    return List.of(new FileSinkConnector(), new StdoutConnector(), new DiscardConnector());
  }
}
