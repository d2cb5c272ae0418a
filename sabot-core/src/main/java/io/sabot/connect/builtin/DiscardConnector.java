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
 * {@code materialize: true} the output batches are built in full first (and dropped).
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
    return List.of("discard", "format", "materialize");
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
    return p.isValid() ? new DiscardSpec(materialize) : null;
  }

  @Override
  public Sink open(String operator, ConnectorSpec spec, SinkContext context) {
    return new DiscardSink(((DiscardSpec) spec).materialize());
  }
}
