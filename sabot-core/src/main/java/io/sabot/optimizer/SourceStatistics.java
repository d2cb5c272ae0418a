package io.sabot.optimizer;

import io.sabot.connect.memory.MemoryTables;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Row counts the optimizer can know before running: a generator's {@code rows}; a registered
 * in-memory table's row count; for a single
 * CSV or JSON-lines file, its size divided by the average line length of its first 64 KiB; each
 * FILTER above keeps an assumed third (the classic default selectivity). Unknown otherwise.
 */
public final class SourceStatistics {
  private static final int SAMPLE_BYTES = 64 * 1024;
  private static final double FILTER_SELECTIVITY = 1.0 / 3;

  private SourceStatistics() {}

  /** Estimated rows coming out of operator {@code id} (a chain of FILTER/SELECT over a source). */
  public static OptionalLong estimateRows(JobGraph g, String id) {
    double factor = 1;
    StreamOperatorNode n = g.operator(id);
    while (n.operatorType() == OperatorType.FILTER || n.operatorType() == OperatorType.SELECT) {
      if (n.operatorType() == OperatorType.FILTER) factor *= FILTER_SELECTIVITY;
      n = g.operator(g.inputs(n.operatorId()).get(0));
    }
    if (n.operatorType() != OperatorType.SOURCE) return OptionalLong.empty();
    OptionalLong rows = sourceRows(n, g.baseDirectory());
    return rows.isPresent() ? OptionalLong.of(Math.round(rows.getAsLong() * factor)) : rows;
  }

  private static OptionalLong sourceRows(StreamOperatorNode source, Path baseDir) {
    Object rows = source.parameter("rows");
    if (source.parameter("generator") != null && rows instanceof Number) {
      return OptionalLong.of(((Number) rows).longValue());
    }
    Object memory = source.parameter("memory");
    if (memory != null && MemoryTables.names().contains(memory.toString())) {
      return OptionalLong.of(MemoryTables.rows(memory.toString()));
    }
    Object path = source.parameter("path");
    if (path == null) return OptionalLong.empty();
    Path file = baseDir.resolve(path.toString());
    String name = file.getFileName().toString();
    if (!Files.isRegularFile(file) || name.endsWith(".arrow") || name.endsWith(".arrows")) {
      return OptionalLong.empty();
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] sample = in.readNBytes(SAMPLE_BYTES);
      long lines = 0;
      for (byte b : sample) if (b == '\n') lines++;
      if (lines == 0) return OptionalLong.of(1);
      return OptionalLong.of(Math.max(1, Files.size(file) * lines / sample.length - 1));
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }
}
