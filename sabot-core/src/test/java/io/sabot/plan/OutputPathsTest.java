package io.sabot.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sabot.error.InvalidJobException;
import io.sabot.graph.JobFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sink that writes where its job reads is a plan error, and nothing is opened or truncated. */
class OutputPathsTest {
  @TempDir Path dir;

  @BeforeEach
  void data() throws Exception {
    Files.createDirectories(dir.resolve("in"));
    Files.writeString(dir.resolve("in/a.csv"), "id\n1\n");
    Files.writeString(dir.resolve("q.csv"), "id\n1\n2\n");
  }

  private List<String> problems(String sourcePath, String sinkPath, String secondSink) throws Exception {
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, String.join("\n",
        "job_name: j",
        "operators:",
        "  - {name: src, type: SOURCE, parameters: {path: '" + sourcePath + "'}}",
        "  - {name: out, type: SINK, parameters: {path: '" + sinkPath + "'}}",
        secondSink == null ? "" : "  - {name: src2, type: SOURCE, parameters: {path: q.csv}}\n"
            + "  - {name: out2, type: SINK, parameters: {path: '" + secondSink + "'}}",
        "connect: [[src, out]" + (secondSink == null ? "" : ", [src2, out2]") + "]"));
    return assertThrows(InvalidJobException.class, () -> JobPlanner.plan(JobFile.load(job))).problems();
  }

  @Test
  void shouldRefuseASinkOnItsOwnInputAndKeepTheInput() throws Exception {
    Path q = dir.resolve("q.csv").toAbsolutePath();
    assertEquals(List.of("operator=out parameter=path file=" + q + " is the input file of operator=src;"
        + " write the output somewhere the job does not read"), problems("q.csv", "q.csv", null));
    assertEquals("id\n1\n2\n", Files.readString(q));
    // the same file by another spelling
    assertEquals(1, problems("q.csv", "in/../q.csv", null).size());
  }

  @Test
  void shouldRefuseASinkInsideASourceFolderOrGlob() throws Exception {
    Path in = dir.resolve("in").toAbsolutePath();
    assertEquals(List.of("operator=out parameter=path file=" + in.resolve("out.csv") + " is inside the"
        + " input directory=" + in + " of operator=src; write the output somewhere the job does not"
        + " read"), problems("in", "in/out.csv", null));
    assertEquals(List.of("operator=out parameter=path file=" + in.resolve("out.csv") + " matches the"
        + " path pattern=" + in.resolve("*.csv") + " of operator=src; write the output somewhere the"
        + " job does not read"), problems("in/*.csv", "in/out.csv", null));
  }

  @Test
  void shouldRefuseTwoSinksOnOneFile() throws Exception {
    Path o = dir.resolve("o.csv").toAbsolutePath();
    assertEquals(List.of("operator=out2 parameter=path file=" + o + " is also written by operator=out;"
        + " give each sink its own file"), problems("in/a.csv", "o.csv", "o.csv"));
  }
}
