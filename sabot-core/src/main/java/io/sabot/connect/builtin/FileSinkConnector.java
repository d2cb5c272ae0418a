package io.sabot.connect.builtin;

import io.sabot.connect.Sink;
import io.sabot.connect.SinkConnector;
import io.sabot.connect.SinkContext;
import io.sabot.connect.Source;
import io.sabot.connect.WriteMode;
import io.sabot.connect.arrow.ArrowIpcSink;
import io.sabot.connect.csv.CsvSink;
import io.sabot.connect.file.FileFormat;
import io.sabot.connect.jsonl.JsonlSink;
import io.sabot.error.InvalidJobException;
import io.sabot.graph.ConnectorSpec;
import io.sabot.graph.OperatorParameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code path:} a CSV, JSON-lines or Arrow IPC file. Which {@link WriteMode} it gets, and which
 * modes its stream source rules out, depends on that source: one that resumes from committed
 * positions reads only what earlier runs did not, so its sink must append, or a rerun would
 * replace the rows of earlier runs with only the new ones (or with nothing); one that never ends
 * can only be stopped, and a replacing sink publishes only when its input ends. {@code strings:
 * dictionary} asks an Arrow file for dictionary-encoded reference strings.
 */
final class FileSinkConnector implements SinkConnector {
  @Override
  public String selector() {
    return "path";
  }

  @Override
  public String description() {
    return "a file sink (path)";
  }

  @Override
  public List<String> parameters() {
    return List.of("path", "format", "mode", "delivery", "strings");
  }

  @Override
  public Class<? extends ConnectorSpec> specType() {
    return FileSinkSpec.class;
  }

  @Override
  public ConnectorSpec parse(OperatorParameters p) {
    String path = p.text("path");
    FileFormat format = null;
    if ("table".equalsIgnoreCase(String.valueOf(p.raw("format")).trim())) {
      p.problem("format", "value=table is only used with stdout: true");
    } else {
      format = FileFormats.parse(p, ", or discard");
    }
    WriteMode mode = null;
    String modeText = p.text("mode");
    if (modeText != null) {
      mode = WriteMode.parse(modeText);
      if (mode == null) {
        p.problem("mode", "value=" + modeText + " is not supported; use " + WriteMode.ACCEPTED);
      }
    }
    boolean exactlyOnce = p.choice("delivery", "at_least_once", "at_least_once", "exactly_once")
        .equals("exactly_once");
    boolean dictionary = p.choice("strings", "plain", "plain", "dictionary").equals("dictionary");
    // a bad format is reported as such, not as the extension's format refusing dictionaries
    FileFormat written = format != null ? format : p.has("format") ? null : formatOfPath(path);
    if (dictionary && written != null && written != FileFormat.ARROW) {
      p.problem("strings", dictionaryNeedsArrow(written));
    }
    return p.isValid() ? new FileSinkSpec(path, format, mode, exactlyOnce, dictionary) : null;
  }

  /** The format {@code path}'s extension implies; null when none (open says so) or no path. */
  private static FileFormat formatOfPath(String path) {
    try {
      return path == null ? null : FileFormat.ofFile(Path.of(path));
    } catch (java.nio.file.InvalidPathException e) {
      return null;
    }
  }

  /**
   * Only Arrow streams have dictionaries: a csv or jsonl file holds each value in its row, so
   * encoding the columns would save nothing and the sink would have to decode them again.
   */
  private static String dictionaryNeedsArrow(FileFormat written) {
    return "value=dictionary is only used with format: arrow (only an Arrow file holds "
        + "dictionaries), and this sink writes " + written.jobName() + "; remove strings, or "
        + "write an arrow file";
  }

  @Override
  public Sink open(String operator, ConnectorSpec connector, SinkContext context) {
    FileSinkSpec spec = (FileSinkSpec) connector;
    Path path = context.baseDir().resolve(spec.path()).toAbsolutePath().normalize();
    if (Files.isDirectory(path)) {
      throw problem(operator, "path", "file=" + path + " is a directory; a sink writes one file");
    }
    FileFormat format = spec.format() != null ? spec.format() : FileFormat.ofFile(path);
    if (format == null) {
      throw problem(operator, "format", "is missing and file=" + path + " has no known extension ("
          + FileFormat.knownExtensions() + "); use " + FileFormat.ACCEPTED);
    }
    if (spec.dictionaryStrings() && format != FileFormat.ARROW) { // a spec built in code, or no extension
      throw problem(operator, "strings", dictionaryNeedsArrow(format));
    }
    WriteMode mode = modeFor(operator, spec, context);
    if (mode == WriteMode.FAIL_IF_EXISTS && Files.exists(path)) {
      throw problem(operator, "mode", "value=fail_if_exists but file=" + path + " exists; remove "
          + "it, or set mode: overwrite or append");
    }
    switch (format) {
      case CSV: return CsvSink.toPath(path, mode, spec.exactlyOnce());
      case JSONL: return JsonlSink.toPath(path, mode, spec.exactlyOnce());
      case ARROW: return ArrowIpcSink.toPath(path, mode, spec.exactlyOnce(), spec.dictionaryStrings());
      default: throw new AssertionError(format);
    }
  }

  /**
   * The spec's mode, or the stream's default; fails when the mode loses or never publishes rows
   * with this stream, or when exactly-once is asked of a stream that cannot start where the
   * file's rows end.
   */
  static WriteMode modeFor(String operator, FileSinkSpec spec, SinkContext context) {
    Source stream = context.stream();
    String source = stream == null ? null
        : "source " + context.streamName() + " (" + stream.describe() + ")";
    if (spec.exactlyOnce() && stream != null && !stream.resumesFromCommittedPositions()) {
      throw problem(operator, "delivery", "value=exactly_once: " + source + " does not resume "
          + "from positions, so a rerun reads its input again and its rows would be written "
          + "again; exactly_once needs a topic read with start: committed");
    }
    boolean resumes = stream != null && stream.resumesFromCommittedPositions();
    WriteMode mode = spec.mode() != null ? spec.mode()
        : resumes ? WriteMode.APPEND : WriteMode.OVERWRITE;
    if (spec.exactlyOnce() && mode != WriteMode.APPEND) {
      throw problem(operator, "delivery", "value=exactly_once keeps the source position with the "
          + "rows of a file it appends to; it needs mode: append, not " + mode.text());
    }
    // The stream's checks hold for a mode the job asks for; the default is the stream's own.
    if (stream == null || spec.mode() == null || mode == WriteMode.APPEND) return mode;
    String value = "value=" + mode.text() + ": ";
    if (resumes) {
      throw problem(operator, "mode", value + source + " resumes from its committed positions, "
          + "so each run reads only new records and replacing the file would lose the rows of "
          + "earlier runs; use mode: append (the default for this source), or have the source "
          + "re-read from the start");
    }
    if (!stream.isBounded()) {
      throw problem(operator, "mode", value + source + " never ends, and a file in this mode "
          + "appears only when the input ends; use mode: append, or make the source bounded");
    }
    return mode;
  }

  private static InvalidJobException problem(String operator, String parameter, String rest) {
    return new InvalidJobException("operator=" + operator + " parameter=" + parameter + " " + rest);
  }
}
