package io.sabot.connect;

import io.sabot.connect.arrow.ArrowIpcSink;
import io.sabot.connect.arrow.ArrowIpcSource;
import io.sabot.connect.console.DiscardSink;
import io.sabot.connect.console.StdoutTableSink;
import io.sabot.connect.csv.CsvSink;
import io.sabot.connect.csv.CsvSource;
import io.sabot.connect.file.FileFormat;
import io.sabot.connect.file.FileSet;
import io.sabot.connect.generator.GeneratorSource;
import io.sabot.connect.jsonl.JsonlSink;
import io.sabot.connect.jsonl.JsonlSource;
import io.sabot.connect.memory.MemorySource;
import io.sabot.connect.memory.MemoryTables;
import io.sabot.error.InvalidJobException;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.types.ColumnType;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds the {@link Source} or {@link Sink} a SOURCE or SINK operator describes (DESIGN.md, "The
 * job file"). Every parameter is checked here, before any data is read: a bad one is an
 * {@link InvalidJobException} naming the operator, the parameter, the value and what is accepted.
 *
 * <pre>
 *   SOURCE  path (+ format, schema)        → CsvSource | JsonlSource | ArrowIpcSource
 *           generator (+ rows, reference_rows) → GeneratorSource
 *           memory: NAME                   → MemorySource (a table in {@link MemoryTables})
 *           kafka_topic                    → a {@link ConnectorProvider} (the sabot-kafka module)
 *   SINK    path (+ format, mode)          → CsvSink | JsonlSink | ArrowIpcSink
 *           stdout: true (+ format, limit) → StdoutTableSink | CsvSink | JsonlSink on stdout
 *           discard: true | format: discard → DiscardSink
 * </pre>
 *
 * <p>Relative paths resolve against the job's base directory. A source {@code path} may be a
 * file, a directory or a glob; the format defaults to the one the file extension implies.
 */
public final class Connectors {
  /** The keys a SOURCE accepts (on_error, rejects_path and batch_size are the executor's). */
  public static final List<String> SOURCE_PARAMETERS = List.of("path", "format", "schema",
      "generator", "rows", "reference_rows", "memory", "on_error", "rejects_path", "batch_size",
      "kafka_topic", "bootstrap_servers", "key", "group_id", "start", "bounded", "properties",
      "dead_letter_topic", "max_record_bytes");
  /** The keys a SINK accepts. */
  public static final List<String> SINK_PARAMETERS = List.of("path", "format", "mode", "stdout",
      "discard", "limit", "kafka_topic", "bootstrap_servers", "key", "properties", "delivery");

  private static final Set<String> SOURCE_KEYS = Set.copyOf(SOURCE_PARAMETERS);
  private static final Set<String> SINK_KEYS = Set.copyOf(SINK_PARAMETERS);
  private static final List<String> KAFKA_SOURCE_ONLY = List.of("bootstrap_servers", "key",
      "group_id", "start", "bounded", "properties", "dead_letter_topic");
  private static final List<String> KAFKA_SINK_ONLY = List.of("bootstrap_servers", "key",
      "properties");

  /** Connectors of other modules (sabot-kafka), loaded once. */
  private static final List<ConnectorProvider> PROVIDERS = ServiceLoader.load(ConnectorProvider.class,
      Connectors.class.getClassLoader()).stream().map(ServiceLoader.Provider::get)
      .collect(Collectors.toUnmodifiableList());

  private Connectors() {}

  /** The source a SOURCE node describes; relative paths resolve against {@code baseDir}. */
  public static Source source(StreamOperatorNode node, Path baseDir) {
    requireType(node, OperatorType.SOURCE);
    Parameters p = new Parameters(node);
    p.checkKeys(SOURCE_KEYS, SOURCE_PARAMETERS);
    ConnectorProvider provider = provider(node);
    if (provider != null) return provider.source(node, baseDir);
    if (p.has("kafka_topic")) throw kafkaNotAvailable(node.name());
    for (String key : KAFKA_SOURCE_ONLY) {
      if (p.has(key)) throw p.problem(key, "is only used with kafka_topic");
    }
    if (p.has("path") && p.has("generator")) {
      throw p.problem("generator", "cannot be combined with parameter=path; give one of them");
    }
    if (p.has("memory") && (p.has("path") || p.has("generator"))) {
      throw p.problem("memory", "cannot be combined with parameter="
          + (p.has("path") ? "path" : "generator") + "; give one of them");
    }
    if (p.has("generator")) return generator(p);
    if (p.has("memory")) return memory(p);
    if (!p.has("path")) {
      throw new InvalidJobException("operator=" + node.name()
          + " needs parameter=path, generator, memory or kafka_topic to say where its rows come from");
    }
    for (String key : List.of("rows", "reference_rows")) {
      if (p.has(key)) throw p.problem(key, "is only used with generator");
    }
    FileFormat format = p.format("");
    Map<String, ColumnType> schema = p.schema();
    FileSet.Resolved files = FileSet.resolve(node.name(), p.text("path"), baseDir, format);
    switch (files.format()) {
      case CSV:
        return new CsvSource(node.name(), files.files(), schema,
            p.count("max_record_bytes", CsvSource.DEFAULT_MAX_RECORD_BYTES));
      case JSONL:
        return new JsonlSource(node.name(), files.files(), schema,
            p.count("max_record_bytes", CsvSource.DEFAULT_MAX_RECORD_BYTES));
      case ARROW:
        if (!schema.isEmpty()) {
          throw p.problem("schema", "is not used with format=arrow; an Arrow file carries its schema");
        }
        return new ArrowIpcSource(node.name(), files.files());
      default:
        throw new AssertionError(files.format());
    }
  }

  private static Source generator(Parameters p) {
    for (String key : List.of("format", "schema")) {
      if (p.has(key)) throw p.problem(key, "is not used with generator");
    }
    String name = p.text("generator");
    GeneratorSource.Kind kind = GeneratorSource.Kind.parse(name);
    if (kind == null) throw p.problem("generator", "value=" + name + " is not supported; use quotes or securities");
    long referenceRows = p.count("reference_rows", GeneratorSource.DEFAULT_REFERENCE_ROWS);
    if (kind == GeneratorSource.Kind.SECURITIES) {
      return GeneratorSource.securities(p.count("rows", referenceRows));
    }
    if (!p.has("rows")) throw p.problem("rows", "is missing; generator=quotes needs the number of rows");
    if (referenceRows < 1) {
      throw p.problem("reference_rows", "value=" + referenceRows + " must be at least 1 for generator=quotes");
    }
    return GeneratorSource.quotes(p.count("rows", 0), referenceRows);
  }

  private static Source memory(Parameters p) {
    for (String key : List.of("format", "schema", "rows", "reference_rows")) {
      if (p.has(key)) throw p.problem(key, "is not used with memory; a memory table carries its schema");
    }
    return MemorySource.of(p.operator(), p.text("memory"));
  }

  /** The sink a SINK node describes; stdout means {@link System#out}; files are overwritten. */
  public static Sink sink(StreamOperatorNode node, Path baseDir) {
    return sink(node, baseDir, WriteMode.OVERWRITE, System.out);
  }

  /** The sink a SINK node describes, with {@code stdout: true} writing to {@code stdout}. */
  public static Sink sink(StreamOperatorNode node, Path baseDir, PrintStream stdout) {
    return sink(node, baseDir, WriteMode.OVERWRITE, stdout);
  }

  /**
   * The sink a SINK node describes, with {@code stdout: true} writing to {@code stdout}; a file
   * sink without {@code mode} writes as {@code defaultMode} says.
   */
  public static Sink sink(StreamOperatorNode node, Path baseDir, WriteMode defaultMode,
                          PrintStream stdout) {
    requireType(node, OperatorType.SINK);
    Parameters p = new Parameters(node);
    p.checkKeys(SINK_KEYS, SINK_PARAMETERS);
    ConnectorProvider provider = provider(node);
    if (provider != null) {
      if (p.has("mode")) throw p.problem("mode", "is only used with path (a file sink)");
      return provider.sink(node, baseDir);
    }
    if (p.has("kafka_topic")) throw kafkaNotAvailable(node.name());
    for (String key : KAFKA_SINK_ONLY) {
      if (p.has(key)) throw p.problem(key, "is only used with kafka_topic");
    }
    String format = p.text("format");
    String f = format == null ? null : format.trim().toLowerCase(Locale.ROOT);
    boolean toStdout = p.flag("stdout");
    boolean discard = p.flag("discard") || "discard".equals(f);
    int destinations = (p.has("path") ? 1 : 0) + (toStdout ? 1 : 0) + (discard ? 1 : 0);
    if (destinations != 1) {
      throw new InvalidJobException("operator=" + node.name() + (destinations == 0
          ? " needs one of parameter=path, stdout: true, discard: true or kafka_topic"
          : " has more than one of parameter=path, stdout and discard; give one")
          + " to say where its rows go");
    }
    if (p.has("mode") && !p.has("path")) throw p.problem("mode", "is only used with path (a file sink)");
    if (p.has("delivery") && !p.has("path")) {
      throw p.problem("delivery", "is only used with path (a file sink) or kafka_topic");
    }
    if (p.has("limit") && !(toStdout && (f == null || f.equals("table")))) {
      throw p.problem("limit", "is only used with stdout: true and the table format");
    }
    if (discard) {
      if (f != null && !f.equals("discard")) throw p.problem("format", "value=" + format + " is not used with discard: true");
      return new DiscardSink();
    }
    if (toStdout) return stdoutSink(p, f, format, stdout);
    if ("table".equals(f)) throw p.problem("format", "value=table is only used with stdout: true");
    FileFormat ff = p.format(", or discard");
    Path path = baseDir.resolve(p.text("path")).toAbsolutePath().normalize();
    if (Files.isDirectory(path)) throw p.problem("path", "file=" + path + " is a directory; a sink writes one file");
    if (ff == null) ff = FileFormat.ofFile(path);
    if (ff == null) {
      throw p.problem("format", "is missing and file=" + path + " has no known extension ("
          + FileFormat.knownExtensions() + "); use " + FileFormat.ACCEPTED);
    }
    WriteMode mode = writeMode(p, defaultMode);
    if (mode == WriteMode.FAIL_IF_EXISTS && Files.exists(path)) {
      throw p.problem("mode", "value=fail_if_exists but file=" + path + " exists; remove it, or "
          + "set mode: overwrite or append");
    }
    boolean exactlyOnce = exactlyOnce(p);
    if (exactlyOnce && mode != WriteMode.APPEND) {
      throw p.problem("delivery", "value=exactly_once keeps the source position with the rows of a "
          + "file it appends to; it needs mode: append, not " + mode.text());
    }
    switch (ff) {
      case CSV: return CsvSink.toPath(path, mode, exactlyOnce);
      case JSONL: return JsonlSink.toPath(path, mode, exactlyOnce);
      case ARROW: return ArrowIpcSink.toPath(path, mode, exactlyOnce);
      default: throw new AssertionError(ff);
    }
  }

  /** A file sink's {@code delivery: exactly_once} (default at_least_once). */
  public static boolean exactlyOnce(StreamOperatorNode node) {
    return exactlyOnce(new Parameters(node));
  }

  private static boolean exactlyOnce(Parameters p) {
    String text = p.text("delivery");
    if (text == null) return false;
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "at_least_once": return false;
      case "exactly_once": return true;
      default: throw p.problem("delivery", "value=" + text + " is not supported; use at_least_once or exactly_once");
    }
  }

  /** A file sink's {@code mode}, or {@code dflt} when it has none. */
  public static WriteMode writeMode(StreamOperatorNode node, WriteMode dflt) {
    return writeMode(new Parameters(node), dflt);
  }

  private static WriteMode writeMode(Parameters p, WriteMode dflt) {
    String text = p.text("mode");
    if (text == null) return dflt;
    WriteMode mode = WriteMode.parse(text);
    if (mode == null) throw p.problem("mode", "value=" + text + " is not supported; use " + WriteMode.ACCEPTED);
    return mode;
  }

  private static Sink stdoutSink(Parameters p, String f, String format, PrintStream stdout) {
    if (f == null || f.equals("table")) {
      long limit = p.count("limit", StdoutTableSink.DEFAULT_LIMIT);
      return new StdoutTableSink(stdout, (int) Math.min(limit, Integer.MAX_VALUE));
    }
    FileFormat ff = FileFormat.parse(f);
    if (ff == FileFormat.CSV) return CsvSink.toStream(stdout);
    if (ff == FileFormat.JSONL) return JsonlSink.toStream(stdout);
    throw p.problem("format", "value=" + format + " is not supported with stdout: true; use table, csv or jsonl");
  }

  /** The first {@link ConnectorProvider} on the class path that handles {@code node}, or null. */
  private static ConnectorProvider provider(StreamOperatorNode node) {
    for (ConnectorProvider p : PROVIDERS) {
      if (p.handles(node)) return p;
    }
    return null;
  }

  /** The one place that says Kafka connectors live in another module. */
  static InvalidJobException kafkaNotAvailable(String operator) {
    return new InvalidJobException("operator " + operator + ": parameter kafka_topic needs the "
        + "sabot-kafka module, which is not available in this build");
  }

  private static void requireType(StreamOperatorNode node, OperatorType type) {
    if (node.operatorType() != type) {
      throw new IllegalArgumentException("operator " + node.name() + " is a "
          + node.operatorType() + ", not a " + type);
    }
  }
}
