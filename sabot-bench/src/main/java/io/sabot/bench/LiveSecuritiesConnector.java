package io.sabot.bench;

import io.sabot.connect.ConnectorProvider;
import io.sabot.connect.Source;
import io.sabot.connect.SourceConnector;
import io.sabot.graph.ConnectorSpec;
import io.sabot.graph.OperatorParameters;
import io.sabot.graph.SourceSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's source connector, {@code live_securities: R} (with {@code updates_per_second}
 * and {@code delete_every}, both default 0): the securities as a live changelog
 * ({@link LiveSecuritiesSource}), for {@code sabot bench --live-updates}. Unlisted: the message
 * for a SOURCE that names no connector does not offer it to users.
 */
public final class LiveSecuritiesConnector implements ConnectorProvider, SourceConnector {
  /** The connector's parameters. */
  record Spec(long referenceRows, long updatesPerSecond, long deleteEvery) implements ConnectorSpec {
    @Override
    public Map<String, Object> toParameters() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("live_securities", referenceRows);
      m.put("updates_per_second", updatesPerSecond);
      if (deleteEvery != 0) m.put("delete_every", deleteEvery);
      return m;
    }
  }

  @Override
  public List<SourceConnector> sources() {
    return List.of(this);
  }

  @Override
  public String selector() {
    return "live_securities";
  }

  @Override
  public boolean listed() {
    return false;
  }

  @Override
  public String description() {
    return "the benchmark's live securities (live_securities: R)";
  }

  @Override
  public List<String> parameters() {
    return List.of("live_securities", "updates_per_second", "delete_every");
  }

  @Override
  public Class<? extends ConnectorSpec> specType() {
    return Spec.class;
  }

  @Override
  public ConnectorSpec parse(OperatorParameters p) {
    long rows = p.count("live_securities", 0);
    if (p.isValid() && (rows < 1 || rows > Integer.MAX_VALUE)) {
      p.problem("live_securities", "value=" + rows + " must be between 1 and " + Integer.MAX_VALUE);
    }
    long rate = p.count("updates_per_second", 0);
    long deleteEvery = p.count("delete_every", 0);
    return p.isValid() ? new Spec(rows, rate, deleteEvery) : null;
  }

  @Override
  public Source open(String operator, SourceSpec source, Path baseDir) {
    Spec s = (Spec) source.connector();
    return new LiveSecuritiesSource((int) s.referenceRows(), s.updatesPerSecond(), s.deleteEvery());
  }
}
