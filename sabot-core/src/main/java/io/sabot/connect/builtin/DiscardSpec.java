package io.sabot.connect.builtin;

import io.sabot.graph.ConnectorSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Nowhere: rows are counted and dropped (benchmarks, dry runs).
 *
 * @param materialize false (default): the executor builds no output batches and only counts the
 *                    rows; true: every output batch is built in full (all columns, strings
 *                    included), handed to the sink, counted and closed, so a run costs what
 *                    building the output costs without the cost of writing it anywhere
 * @param dictionaryStrings with materialize, {@code strings: dictionary}: reference string
 *                    columns are built dictionary-encoded (indexes into the reference table's
 *                    column) instead of copied; {@code strings: plain} (default) copies them
 */
public record DiscardSpec(boolean materialize, boolean dictionaryStrings) implements ConnectorSpec {
  /** {@code discard: true}: count only. */
  public DiscardSpec() {
    this(false, false);
  }

  /** With {@code materialize}, strings plain. */
  public DiscardSpec(boolean materialize) {
    this(materialize, false);
  }

  @Override
  public Map<String, Object> toParameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("discard", true);
    if (materialize) m.put("materialize", true); // absent reads as false
    if (dictionaryStrings) m.put("strings", "dictionary"); // absent reads as plain
    return m;
  }
}
