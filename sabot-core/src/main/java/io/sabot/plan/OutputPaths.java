package io.sabot.plan;

import io.sabot.connect.file.FileSet;
import io.sabot.error.InvalidJobException;
import io.sabot.graph.ConnectorSpec;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorSpec;
import io.sabot.graph.OperatorType;
import io.sabot.graph.SinkSpec;
import io.sabot.graph.SourceSpec;
import io.sabot.graph.StreamOperatorNode;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds file sinks that would write where the job reads, or where another sink writes: a sink on
 * a source's file would truncate its input before it is read, a sink in a source's folder or glob
 * would be read back by the next run, and two sinks on one file would interleave. Each is a plan
 * error, found before anything is opened.
 */
final class OutputPaths {
  private OutputPaths() {}

  static List<String> problems(JobGraph graph) {
    List<String> problems = new ArrayList<>();
    Map<Path, String> written = new HashMap<>();
    for (StreamOperatorNode sink : graph.operatorsOfType(OperatorType.SINK)) {
      String p = pathOf(sink);
      if (p == null) continue;
      Path target = graph.baseDirectory().resolve(p).toAbsolutePath().normalize();
      if (Files.exists(target) && !Files.isRegularFile(target)) continue; // /dev/null, a pipe
      String other = written.putIfAbsent(FileSet.realPath(target), sink.name());
      if (other != null) {
        problems.add("operator=" + sink.name() + " parameter=path file=" + target
            + " is also written by operator=" + other + "; give each sink its own file");
      }
      for (StreamOperatorNode source : graph.operatorsOfType(OperatorType.SOURCE)) {
        String clash = clash(graph.baseDirectory(), source, target);
        if (clash != null) {
          problems.add("operator=" + sink.name() + " parameter=path file=" + target + " " + clash
              + " of operator=" + source.name() + "; write the output somewhere the job does not read");
        }
      }
    }
    return problems;
  }

  /** How {@code target} overlaps what {@code source} reads, or null. */
  private static String clash(Path baseDir, StreamOperatorNode source, Path target) {
    String text = pathOf(source);
    if (text == null) return null;
    Path read = baseDir.resolve(text).toAbsolutePath().normalize();
    if (text.chars().anyMatch(ch -> ch == '*' || ch == '?' || ch == '[' || ch == '{')) {
      PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + read);
      return glob.matches(target) ? "matches the path pattern=" + read : null;
    }
    Path readReal = FileSet.realPath(read);
    Path targetReal = FileSet.realPath(target);
    if (readReal.equals(targetReal)) return "is the input file";
    if (Files.isDirectory(readReal) && targetReal.startsWith(readReal)) {
      return "is inside the input directory=" + read;
    }
    return null;
  }

  /**
   * The file a source or sink reads or writes, as written; null when it has none, or when its
   * parameters have problems (reported where the operator is lowered).
   */
  private static String pathOf(StreamOperatorNode node) {
    try {
      OperatorSpec spec = node.spec();
      ConnectorSpec connector = spec instanceof SourceSpec ? ((SourceSpec) spec).connector()
          : ((SinkSpec) spec).connector();
      return connector.path();
    } catch (InvalidJobException e) {
      return null;
    }
  }
}
