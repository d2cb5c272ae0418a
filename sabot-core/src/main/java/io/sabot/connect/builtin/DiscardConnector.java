package io.sabot.connect.builtin;

import io.sabot.connect.Sink;
import io.sabot.connect.SinkConnector;
import io.sabot.connect.SinkContext;
import io.sabot.connect.console.DiscardSink;
import io.sabot.graph.ConnectorSpec;
import io.sabot.graph.OperatorParameters;
import java.util.List;

/**
 * {@code discard: true} (or {@code format: discard}): count the rows, keep none; with
 * {@code materialize: true} the output batches are built in full first (and dropped), with
 * {@code strings: dictionary} with reference strings dictionary-encoded.
 */
final class DiscardConnector implements SinkConnector {
  @Override
  public String selector() {
    return "discard";
  }

  @Override
  public boolean selects(OperatorParameters p) {
    Object format = p.raw("format");
    return SinkConnector.isSet(p.raw("discard"))
        || (format instanceof String && ((String) format).trim().equalsIgnoreCase("discard"));
  }

  @Override
  public String description() {
    return "a discard sink";
  }

  @Override
  public List<String> parameters() {
    return List.of("discard", "format", "materialize", "strings");
  }

  @Override
  public Class<? extends ConnectorSpec> specType() {
    return DiscardSpec.class;
  }

  @Override
  public ConnectorSpec parse(OperatorParameters p) {
    p.flag("discard", true);
    String format = p.text("format");
    if (format != null && !format.equalsIgnoreCase("discard")) {
      p.problem("format", "value=" + format + " is not used with discard: true");
    }
    boolean materialize = p.flag("materialize", false);
    String strings = p.choice("strings", "plain", "plain", "dictionary");
    boolean dictionary = "dictionary".equals(strings);
    if (dictionary && !materialize) {
      p.problem("strings", "value=dictionary is used only with materialize: true (without it no "
          + "output is built)");
    }
    return p.isValid() ? new DiscardSpec(materialize, dictionary) : null;
  }

  @Override
  public Sink open(String operator, ConnectorSpec spec, SinkContext context) {
    DiscardSpec discard = (DiscardSpec) spec;
    return new DiscardSink(discard.materialize(), discard.dictionaryStrings());
  }
}
