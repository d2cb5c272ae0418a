package io.sabot.connect.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sabot.connect.Connectors;
import io.sabot.connect.SinkContext;
import io.sabot.connect.Source;
import io.sabot.connect.SourcePartition;
import io.sabot.connect.WriteMode;
import io.sabot.error.InvalidJobException;
import io.sabot.graph.JobFile;
import io.sabot.graph.OperatorType;
import io.sabot.graph.SinkSpec;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.types.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which write modes and deliveries a file sink may ask of its stream source (see FileSinkConnector). */
class FileSinkModesTest {
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
        () -> io.sabot.plan.JobPlanner.plan(JobFile.load(job))).problems();
    assertEquals(List.of("operator=out parameter=delivery value=exactly_once: source quotes "
        + "(generator=quotes rows=10) does not resume from positions, so a rerun reads its input again and "
        + "its rows would be written again; exactly_once needs a topic read with start: committed"),
        problems);
  }

  @Test
  void shouldRefuseReplacingTheFileOfASourceThatResumesFromCommittedPositions() {
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> modeFor("overwrite", RESUMING));
    assertEquals(List.of("operator=out parameter=mode value=overwrite: source topic (topic=t) resumes "
        + "from its committed positions, so each run reads only new records and replacing the file "
        + "would lose the rows of earlier runs; use mode: append (the default for this source), or "
        + "have the source re-read from the start"), e.problems());
    assertEquals(WriteMode.APPEND, modeFor(null, RESUMING));
  }

  @Test
  void shouldRefuseReplacingTheFileOfASourceThatNeverEnds() {
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> modeFor("overwrite", ENDLESS));
    assertEquals(List.of("operator=out parameter=mode value=overwrite: source topic (topic=t "
        + "endless) never ends, and a file in this mode appears only when the input ends; use mode: "
        + "append, or make the source bounded"), e.problems());
    assertEquals(WriteMode.OVERWRITE, modeFor(null, ENDLESS));
  }

  @Test
  void shouldLetAnyFileSinkAppendAndLeaveNonFileSinksAlone() throws Exception {
    assertEquals(WriteMode.APPEND, modeFor("append", RESUMING));
    assertEquals(WriteMode.APPEND, modeFor("append", ENDLESS));
    Connectors.sink(new StreamOperatorNode(OperatorType.SINK, "out", Map.of("discard", true)),
        new SinkContext(dir, ENDLESS, "topic", System.out)).close();
  }

  private static final Source RESUMING = new StubSource("topic=t", true, true);
  private static final Source ENDLESS = new StubSource("topic=t endless", false, false);

  /** The mode a sink {@code mode: mode} (null: none given) gets when {@code stream} feeds it. */
  private WriteMode modeFor(String mode, Source stream) {
    Map<String, Object> parameters = new java.util.LinkedHashMap<>();
    parameters.put("path", "out.csv");
    if (mode != null) parameters.put("mode", mode);
    StreamOperatorNode sink = new StreamOperatorNode(OperatorType.SINK, "out", parameters);
    return FileSinkConnector.modeFor("out", (FileSinkSpec) sink.spec(SinkSpec.class).connector(),
        new SinkContext(dir, stream, "topic", System.out));
  }

  /** A source that only answers how it ends and resumes, as a Kafka topic would. */
  private record StubSource(String describe, boolean isBounded, boolean resumesFromCommittedPositions)
      implements Source {
    @Override
    public Schema schema() {
      return Schema.of();
    }

    @Override
    public List<SourcePartition> partitions() {
      return List.of();
    }
  }
}
