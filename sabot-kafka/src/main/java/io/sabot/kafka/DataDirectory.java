package io.sabot.kafka;

import io.sabot.connect.builtin.FileSinkSpec;
import io.sabot.connect.builtin.FileSourceSpec;
import io.sabot.connect.file.FileSet;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.SinkSpec;
import io.sabot.graph.SourceSpec;
import io.sabot.graph.StreamOperatorNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The only folder an agent lets a job read or write ({@code sabot agent --data-dir}). An agent
 * runs whatever anyone who can write the control topic submits, so it trusts no path of a job:
 * relative paths are taken under the data directory, and a path that leads outside it (absolute,
 * {@code ..}, or a link pointing out) refuses the job on this agent, which reports why.
 *
 * <pre>
 *   securities.csv              ─► DATA/securities.csv            run
 *   refs/*.csv                  ─► DATA/refs/*.csv                run
 *   /etc/passwd, ../x.csv       ─► outside DATA                   refused, reported
 *   DATA/link ─► /elsewhere     ─► outside DATA (links resolved)  refused, reported
 * </pre>
 */
final class DataDirectory {
  private final Path root;

  /** {@code dir}, created if missing; its real path is the boundary. */
  DataDirectory(Path dir) throws IOException {
    Files.createDirectories(dir);
    this.root = dir.toRealPath();
  }

  Path root() {
    return root;
  }

  /**
   * Every file a job would read or write outside the data directory, one problem each
   * (operator, parameter, value): sources' {@code path} and {@code rejects_path}, file sinks'
   * {@code path}. Empty when the job stays inside.
   */
  List<String> outside(JobGraph graph) {
    List<String> problems = new ArrayList<>();
    for (StreamOperatorNode node : graph.operators()) {
      if (node.operatorType() == OperatorType.SOURCE) {
        SourceSpec spec = node.spec(SourceSpec.class);
        if (spec.connector() instanceof FileSourceSpec) {
          check(node, "path", ((FileSourceSpec) spec.connector()).path(), problems);
        }
        if (spec.rejectsPath() != null) check(node, "rejects_path", spec.rejectsPath(), problems);
      } else if (node.operatorType() == OperatorType.SINK) {
        Object connector = node.spec(SinkSpec.class).connector();
        if (connector instanceof FileSinkSpec) {
          check(node, "path", ((FileSinkSpec) connector).path(), problems);
        }
      }
    }
    return problems;
  }

  private void check(StreamOperatorNode node, String parameter, String value,
                     List<String> problems) {
    if (!inside(value)) {
      problems.add("operator=" + node.name() + " parameter=" + parameter + " value=" + value
          + " lies outside this agent's --data-dir=" + root + "; an agent reads and writes files "
          + "only under its data directory: put the file there and name it relative to it");
    }
  }

  /** Whether {@code path} (a file, folder or glob; relative to the root) stays under the root. */
  boolean inside(String path) {
    return FileSet.realPath(FileSet.fixedPart(root, path)).startsWith(root);
  }
}
