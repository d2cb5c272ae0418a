package io.sabot.connect;

import io.sabot.error.SabotBug;
import io.sabot.graph.ConnectorSpec;
import io.sabot.graph.ConnectorSpecParser;
import io.sabot.graph.OperatorParameters;
import io.sabot.graph.SinkSpec;
import io.sabot.graph.SourceSpec;
import io.sabot.graph.StreamOperatorNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The connectors on the class path, and the one way from a SOURCE or SINK node to its
 * {@link Source} or {@link Sink}. Every connector (the built-in ones of
 * {@code io.sabot.connect.builtin}, Kafka's, a test's) comes from a {@link ConnectorProvider};
 * the parameter a node gives picks the connector:
 *
 * <pre>
 *   SOURCE node ─► StreamOperatorNode.spec() ─► Connectors.parseSource ─► the connector whose
 *                  selector (path, generator, memory, kafka_topic) is given ─► ConnectorSpec
 *   SourceSpec  ─► Connectors.source ─► that connector's open ─► Source
 * </pre>
 *
 * As the {@link ConnectorSpecParser} of {@code graph}, it is what turns a node's parameters into
 * a typed spec; every parameter is checked there, before any data is read, and a bad one is
 * reported naming the operator, the parameter, the value and what is accepted.
 */
public final class Connectors implements ConnectorSpecParser {
  private static final List<ConnectorProvider> PROVIDERS = ServiceLoader.load(
      ConnectorProvider.class, Connectors.class.getClassLoader()).stream()
      .map(ServiceLoader.Provider::get).collect(Collectors.toUnmodifiableList());
  private static final List<SourceConnector> SOURCES = PROVIDERS.stream()
      .flatMap(p -> p.sources().stream()).sorted(Comparator.comparing(SourceConnector::selector))
      .collect(Collectors.toUnmodifiableList());
  private static final List<SinkConnector> SINKS = PROVIDERS.stream()
      .flatMap(p -> p.sinks().stream()).sorted(Comparator.comparing(SinkConnector::selector))
      .collect(Collectors.toUnmodifiableList());

  /** For {@link ServiceLoader}; the connectors themselves are loaded once per class loader. */
  public Connectors() {}

  @Override
  public ConnectorSpec parseSource(OperatorParameters p) {
    List<SourceConnector> picked = new ArrayList<>();
    for (String key : p.keys()) {
      for (SourceConnector c : SOURCES) if (c.selector().equals(key) && p.has(key)) picked.add(c);
    }
    if (picked.isEmpty()) {
      List<String> accepted = new ArrayList<>(SourceSpec.PARAMETERS);
      SOURCES.forEach(c -> accepted.addAll(c.parameters()));
      nothingPicked(p, SOURCES.stream().filter(SourceConnector::listed)
          .map(SourceConnector::selector), accepted, "to say where its rows come from");
      return null;
    }
    if (picked.size() > 1) {
      p.problem(picked.get(1).selector(), "cannot be combined with parameter="
          + picked.get(0).selector() + "; give one of them");
      return null;
    }
    SourceConnector connector = picked.get(0);
    List<String> accepted = new ArrayList<>(connector.parameters());
    accepted.addAll(SourceSpec.PARAMETERS);
    p.checkKeys(accepted, connector.description());
    return connector.parse(p);
  }

  @Override
  public ConnectorSpec parseSink(OperatorParameters p) {
    List<SinkConnector> picked = SINKS.stream().filter(c -> c.selects(p)).collect(Collectors.toList());
    if (picked.isEmpty()) {
      List<String> accepted = new ArrayList<>();
      SINKS.forEach(c -> accepted.addAll(c.parameters()));
      nothingPicked(p, SINKS.stream().map(SinkConnector::selector), accepted,
          "to say where its rows go");
      return null;
    }
    if (picked.size() > 1) {
      p.problem("has more than one of " + picked.stream().map(c -> "parameter=" + c.selector())
          .collect(Collectors.joining(", ")) + "; give one to say where its rows go");
      return null;
    }
    SinkConnector connector = picked.get(0);
    List<String> accepted = new ArrayList<>(connector.parameters());
    // stdout: false or discard: false beside a path says what the sink is not; harmless
    for (SinkConnector other : SINKS) {
      Object flag = p.raw(other.selector());
      if (other != connector && (Boolean.FALSE.equals(flag) || "false".equals(flag))) {
        accepted.add(other.selector());
      }
    }
    p.checkKeys(accepted, connector.description());
    return connector.parse(p);
  }

  /**
   * No connector is picked: says which parameter would pick one (or that a picking parameter is
   * empty, or that Kafka's module is missing), and names every key no connector reads.
   */
  private static void nothingPicked(OperatorParameters p, java.util.stream.Stream<String> selectors,
                                    List<String> anyConnectorReads, String why) {
    List<String> names = selectors.collect(Collectors.toList());
    for (String key : p.keys()) {
      if (names.contains(key) && !p.has(key)) {
        p.problem(key, "is empty; give a value " + why);
        return;
      }
    }
    if (p.has("kafka_topic")) {
      p.problem("kafka_topic", "needs the sabot-kafka module, which is not available in this build");
      return;
    }
    p.problem("needs one of " + selectors(names.stream()) + " " + why);
    for (String key : p.keys()) {
      if (!anyConnectorReads.contains(key) && !key.equals("kafka_topic")) {
        p.problem(key, "is not a parameter of any " + p.type() + "; check its spelling");
      }
    }
  }

  /** "parameter=discard, kafka_topic, path or stdout" (kafka_topic named even without the module). */
  private static String selectors(java.util.stream.Stream<String> names) {
    List<String> all = names.distinct().collect(Collectors.toCollection(ArrayList::new));
    if (!all.contains("kafka_topic")) all.add("kafka_topic");
    all.sort(null);
    return "parameter=" + String.join(", ", all.subList(0, all.size() - 1)) + " or "
        + all.get(all.size() - 1);
  }

  /** The source a SOURCE node describes; relative paths resolve against {@code baseDir}. */
  public static Source source(StreamOperatorNode node, Path baseDir) {
    SourceSpec spec = node.spec(SourceSpec.class);
    for (SourceConnector c : SOURCES) {
      if (c.specType().isInstance(spec.connector())) return c.open(node.name(), spec, baseDir);
    }
    throw new SabotBug("no connector opens " + spec.connector().getClass().getName());
  }

  /** The sink a SINK node describes, opened as {@code context} says. */
  public static Sink sink(StreamOperatorNode node, SinkContext context) {
    SinkSpec spec = node.spec(SinkSpec.class);
    for (SinkConnector c : SINKS) {
      if (c.specType().isInstance(spec.connector())) return c.open(node.name(), spec.connector(), context);
    }
    throw new SabotBug("no connector opens " + spec.connector().getClass().getName());
  }

  /** The sink a SINK node describes, fed by no known stream; stdout means {@link System#out}. */
  public static Sink sink(StreamOperatorNode node, Path baseDir) {
    return sink(node, SinkContext.of(baseDir));
  }

  /** As {@link #sink(StreamOperatorNode, Path)}, with {@code stdout: true} writing to {@code stdout}. */
  public static Sink sink(StreamOperatorNode node, Path baseDir, PrintStream stdout) {
    return sink(node, new SinkContext(baseDir, null, null, stdout));
  }
}
