package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.graph.JobFile;
import io.sabot.graph.JobGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent lets a job touch files only under its --data-dir, links resolved. */
class DataDirectoryTest {
  @TempDir Path tmp;

  @Test
  void shouldKeepPathsInsideAndRefuseEveryWayOut() throws Exception {
    Path root = tmp.resolve("data");
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    DataDirectory data = new DataDirectory(root);
    Files.createDirectories(root.resolve("refs"));
    Files.createSymbolicLink(root.resolve("out-link"), elsewhere);

    assertTrue(data.inside("securities.csv"));
    assertTrue(data.inside("refs/*.csv"));
    assertTrue(data.inside("refs/../securities.csv"));
    assertTrue(data.inside(root.resolve("refs/x.csv").toString()));
    assertTrue(data.inside("not/yet/made.csv"));
    assertFalse(data.inside("../elsewhere/x.csv"));
    assertFalse(data.inside(elsewhere.resolve("x.csv").toString()));
    assertFalse(data.inside("/etc/passwd"));
    assertFalse(data.inside("out-link/x.csv"), "a link leading out is out");
    assertFalse(data.inside("out-link/*.csv"));
    assertFalse(data.inside("../*.csv"));
  }

  @Test
  void shouldNameEveryFileOfAJobThatLeadsOut() throws Exception {
    DataDirectory data = new DataDirectory(tmp.resolve("data"));
    JobGraph g = JobFile.parse(String.join("\n",
        "job_name: j",
        "operators:",
        "  - {name: quotes, type: SOURCE, parameters: {kafka_topic: q, schema: {id: int64},",
        "      rejects_path: /tmp/rejects.jsonl}}",
        "  - {name: refs, type: SOURCE, parameters: {path: ../secrets.csv}}",
        "  - {name: ok, type: SOURCE, parameters: {path: fine.csv}}",
        "  - {name: out, type: SINK, parameters: {path: /var/out.csv}}",
        "connect: [[quotes, out]]"), "test");
    String tail = " lies outside this agent's --data-dir=" + data.root() + "; an agent reads and "
        + "writes files only under its data directory: put the file there and name it relative "
        + "to it";
    assertEquals(List.of(
        "operator=quotes parameter=rejects_path value=/tmp/rejects.jsonl" + tail,
        "operator=refs parameter=path value=../secrets.csv" + tail,
        "operator=out parameter=path value=/var/out.csv" + tail), data.outside(g));
  }
}
