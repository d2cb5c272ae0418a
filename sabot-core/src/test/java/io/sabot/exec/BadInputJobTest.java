package io.sabot.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sabot.error.InvalidJobException;
import io.sabot.graph.JobFile;
import io.sabot.graph.JobGraph;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input end to end (issue 8), as a user meets it: a job from a file to a CSV sink; the output,
 * the rejected count and the dead letters are checked exactly.
 */
class BadInputJobTest {
  @TempDir
  Path dir;

  private JobSummary run(String source, String... more) throws Exception {
    Path file = dir.resolve("job.yaml");
    Files.writeString(file, String.join("\n",
        "job_name: bad_input",
        "operators:",
        "  - {name: q, type: SOURCE, parameters: {" + source + "}}",
        "  - {name: out, type: SINK, parameters: {path: " + (more.length > 0 ? more[0] : "out.csv") + "}}",
        "connect: [[q, out]]"));
    JobGraph g = JobFile.load(file);
    return new JobManager(ExecutionOptions.defaults().withThreads(2)).submitJob(g).summary();
  }

  private void writeBytes(String name, Object... parts) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object p : parts) {
      if (p instanceof String) {
        out.write(((String) p).getBytes(StandardCharsets.UTF_8));
      } else {
        out.write((Integer) p);
      }
    }
    Files.createDirectories(dir.resolve(name).getParent());
    Files.write(dir.resolve(name), out.toByteArray());
  }

  private List<String> lines(String name) throws Exception {
    return Files.readAllLines(dir.resolve(name));
  }

  @Test
  void shouldRejectInvalidUtf8AnOpenQuoteAndAnOversizedRecordOneByOneAndKeepTheRest() throws Exception {
    writeBytes("in.csv", "id,name\n1,a\n2,b", 0xFF, "\n3,\"c\n4,d\n5,", "x".repeat(200), "\n6,e\n");
    JobSummary s = run("path: in.csv, schema: {id: int64, name: string}, max_record_bytes: 100");
    assertEquals(List.of("id,name", "1,a", "4,d", "6,e"), lines("out.csv"));
    assertEquals(3, s.rejectedRecords());
    assertEquals(List.of(
        "{\"source\":\"q\",\"partition\":\"in.csv\",\"line\":3,\"reason\":\"invalid UTF-8 at byte 15 of the"
            + " file: 0xff\",\"record\":\"2,b\uFFFD\"}",
        "{\"source\":\"q\",\"partition\":\"in.csv\",\"line\":4,\"reason\":\"quoted field 2 has no closing quote"
            + " (still open at the end of the file)\",\"record\":\"3,\\\"c\"}",
        "{\"source\":\"q\",\"partition\":\"in.csv\",\"line\":6,\"reason\":\"record is 202 bytes, more than"
            + " max_record_bytes=100\",\"record\":\"5," + "x".repeat(200) + "\"}"),
        lines("out.csv.rejects.jsonl"));
  }

  @Test
  void shouldKeepTheGoodJsonLinesAroundALineWithInvalidUtf8() throws Exception {
    writeBytes("in.jsonl", "{\"id\": 1}\n{\"id\": 2, \"name\": \"", 0xC3, "\"}\n{\"id\": 3}\n");
    JobSummary s = run("path: in.jsonl");
    assertEquals(List.of("id", "1", "3"), lines("out.csv"));
    assertEquals(1, s.rejectedRecords());
    assertEquals(List.of("{\"source\":\"q\",\"partition\":\"in.jsonl\",\"line\":2,\"reason\":\"invalid UTF-8 at"
        + " byte 29 of the file: 0xc3\",\"record\":\"{\\\"id\\\": 2, \\\"name\\\": \\\"\uFFFD\\\"}\"}"),
        lines("out.csv.rejects.jsonl"));
  }

  @Test
  void shouldReadItsOwnOneColumnOutputWithNullsBackRowForRow() throws Exception {
    Files.writeString(dir.resolve("in.csv"), "k\n1\n\n3\n\n");
    JobSummary first = run("path: in.csv, schema: {k: int64}", "mid.csv");
    assertEquals(List.of("k", "1", "", "3", ""), lines("mid.csv"));
    assertEquals(4, first.rowsOut());
    JobSummary second = run("path: mid.csv, schema: {k: int64}");
    assertEquals(List.of("k", "1", "", "3", ""), lines("out.csv"));
    assertEquals(4, second.rowsOut());
    assertEquals(0, second.rejectedRecords());
  }

  @Test
  void shouldReadTheGoodFilesOfAFolderWithAnEmptyFile() throws Exception {
    writeBytes("data/a.csv", "id,v\n1,5\n");
    writeBytes("data/b.csv");
    writeBytes("data/c.csv", "id,v\n2,99999999999999999999\n");
    JobSummary s = run("path: data");
    assertEquals(List.of("id,v", "1,5", "2,99999999999999999999"), lines("out.csv"));
    assertEquals(0, s.rejectedRecords());
    assertFalse(Files.exists(dir.resolve("out.csv.rejects.jsonl")));
  }

  @Test
  void shouldFailThePlanOnABadMaxRecordBytes() throws Exception {
    Files.writeString(dir.resolve("in.csv"), "id\n1\n");
    InvalidJobException e = assertThrows(InvalidJobException.class, () -> run("path: in.csv, max_record_bytes: lots"));
    assertEquals(List.of("operator=q parameter=max_record_bytes value=lots must be a whole number >= 0"), e.problems());
    e = assertThrows(InvalidJobException.class, () -> run("path: in.csv, max_record_bytes: 0"));
    assertEquals(List.of("operator=q parameter=max_record_bytes value=0 must be at least 1"), e.problems());
  }
}
