package io.sabot.graph;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SOURCE: where the rows come from, as its connector describes it, and what every source
 * shares: what to do with a record that cannot be decoded, where rejected records go, and how
 * many rows a batch holds.
 *
 * @param rejectsPath the dead-letter file as written in the job (relative to the job's folder);
 *                    null: beside the sink's file, else beside the job file
 */
public record SourceSpec(ConnectorSpec connector, OnError onError, String rejectsPath,
                         int batchSize) implements OperatorSpec {
  /** The parameters every source accepts besides its connector's. */
  public static final List<String> PARAMETERS = List.of("on_error", "rejects_path", "batch_size");
  public static final int DEFAULT_BATCH_SIZE = 8192;

  @Override
  public OperatorType type() {
    return OperatorType.SOURCE;
  }

  @Override
  public Map<String, Object> toParameters() {
    Map<String, Object> m = new LinkedHashMap<>(connector.toParameters());
    m.put("on_error", onError.jobName());
    if (rejectsPath != null) m.put("rejects_path", rejectsPath);
    m.put("batch_size", batchSize);
    return m;
  }

  static SourceSpec parse(ConnectorSpec connector, OperatorParameters p) {
    OnError onError = OnError.DEAD_LETTER;
    String text = p.text("on_error");
    if (text != null) {
      onError = OnError.parse(text);
      if (onError == null) {
        p.problem("on_error", "value=" + text + " is not supported; use fail, skip or dead_letter");
        onError = OnError.DEAD_LETTER;
      }
    }
    String rejects = p.text("rejects_path");
    int batchSize = p.positiveInt("batch_size", DEFAULT_BATCH_SIZE);
    return new SourceSpec(connector, onError, rejects, batchSize);
  }
}
