package io.sabot.kafka;

import io.sabot.exec.ExecutionOptions;
import io.sabot.exec.JobManager;
import io.sabot.exec.JobSummary;
import io.sabot.graph.JobFile;
import io.sabot.graph.JobGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Job files for the tests, with ${NAME} placeholders, run in this JVM. */
final class Jobs {
  /** The seed example's files (sabot-kafka runs its tests in its own folder). */
  static final Path EXAMPLES = Path.of("..", "examples", "stream-enrichment").toAbsolutePath().normalize();

  private Jobs() {}

  /** The job text with every ${KEY} replaced, written to {@code dir/name}. */
  static Path write(Path dir, String name, String text, Map<String, String> values) throws IOException {
    String t = text;
    for (Map.Entry<String, String> e : values.entrySet()) t = t.replace("${" + e.getKey() + "}", e.getValue());
    if (t.contains("${")) throw new IllegalArgumentException("unreplaced placeholder in " + t);
    Path file = dir.resolve(name);
    Files.writeString(file, t);
    return file;
  }

  static JobSummary run(Path jobFile) {
    JobGraph graph = JobFile.load(jobFile);
    return new JobManager(ExecutionOptions.defaults().withThreads(2)).submitJob(graph).summary();
  }

  /** A CSV file's lines, header first. */
  static List<String> lines(Path csv) throws IOException {
    return new ArrayList<>(Files.readAllLines(csv));
  }
}
