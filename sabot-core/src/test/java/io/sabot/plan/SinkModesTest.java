package io.sabot.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sabot.error.InvalidJobException;
import io.sabot.graph.JobFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which write modes and deliveries a file sink may ask of its stream source (see SinkModes). */
class SinkModesTest {
  @TempDir Path dir;

  @Test
  void shouldRefuseExactlyOnceFromASourceThatDoesNotResume() throws Exception {
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, String.join("\n",
        "job_name: j",
        "operators:",
        "  - {name: quotes, type: SOURCE, parameters: {generator: quotes, rows: 10}}",
        "  - {name: out, type: SINK, parameters: {path: out.csv, mode: append, delivery: exactly_once}}",
        "connect: [[quotes, out]]"));
    List<String> problems = assertThrows(InvalidJobException.class,
        () -> JobPlanner.plan(JobFile.load(job))).problems();
    assertEquals(List.of("operator=out parameter=delivery value=exactly_once: source quotes "
        + "(generator=quotes rows=10) does not resume from positions, so a rerun reads its input again and "
        + "its rows would be written again; exactly_once needs a topic read with start: committed"),
        problems);
  }
}
