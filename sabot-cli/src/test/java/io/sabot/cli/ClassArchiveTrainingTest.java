package io.sabot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * bin/sabot's class archive training: its jobs stay valid as the job file changes (else the
 * launcher would start every JVM without an archive, saying only that the training failed), and
 * it leaves nothing behind.
 */
class ClassArchiveTrainingTest {
  @Test
  void shouldRunEveryStepAndLeaveNoFolderBehind() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    List<Path> before = trainingFolders(tmp);
    assertTrue(ClassArchiveTraining.train(), "a training step failed; its error is printed above");
    assertEquals(before, trainingFolders(tmp), "the training's temporary folder was not deleted");
    assertEquals(List.of(), Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().equals("sabot-kafka-warm-up")).toList(),
        "the Kafka clients' warm-up was not waited for, so their classes may not be archived");
  }

  private static List<Path> trainingFolders(Path tmp) throws IOException {
    try (Stream<Path> files = Files.list(tmp)) {
      return files.filter(p -> p.getFileName().toString().startsWith("sabot-class-training"))
          .sorted().toList();
    }
  }
}
