package io.sabot.connect.builtin;

import io.sabot.connect.Sink;
import io.sabot.connect.SinkConnector;
import io.sabot.connect.SinkContext;
import io.sabot.connect.console.StdoutTableSink;
import io.sabot.connect.csv.CsvSink;
import io.sabot.connect.jsonl.JsonlSink;
import io.sabot.graph.ConnectorSpec;
import io.sabot.graph.OperatorParameters;
import java.util.List;
import java.util.Locale;

/** {@code stdout: true}: a table of the first rows (default), or every row as csv or jsonl. */
final class StdoutConnector implements SinkConnector {
  @Override
  public String selector() {
    return "stdout";
  }

  @Override
  public boolean selects(OperatorParameters p) {
    return SinkConnector.isSet(p.raw("stdout"));
  }

  @Override
  public String description() {
    return "a stdout sink";
  }

  @Override
  public List<String> parameters() {
    return List.of("stdout", "format", "limit");
  }

  @Override
  public Class<? extends ConnectorSpec> specType() {
    return StdoutSpec.class;
  }

  @Override
  public ConnectorSpec parse(OperatorParameters p) {
    p.flag("stdout", true);
    String text = p.text("format");
    String format = text == null ? "table" : text.toLowerCase(Locale.ROOT);
    if (format.equals("json")) format = "jsonl";
    if (!List.of("table", "csv", "jsonl").contains(format)) {
      p.problem("format", "value=" + text + " is not supported with stdout: true; use table, csv or jsonl");
    }
    if (p.has("limit") && !format.equals("table")) {
      p.problem("limit", "is only used with stdout: true and the table format");
    }
    long limit = p.count("limit", StdoutTableSink.DEFAULT_LIMIT);
    return p.isValid() ? new StdoutSpec(format, limit) : null;
  }

  @Override
  public Sink open(String operator, ConnectorSpec connector, SinkContext context) {
    StdoutSpec spec = (StdoutSpec) connector;
    switch (spec.format()) {
      case "csv": return CsvSink.toStream(context.stdout());
      case "jsonl": return JsonlSink.toStream(context.stdout());
      default: return new StdoutTableSink(context.stdout(), (int) Math.min(spec.limit(), Integer.MAX_VALUE));
    }
  }
}
