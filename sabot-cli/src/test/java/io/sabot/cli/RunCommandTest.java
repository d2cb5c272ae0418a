package io.sabot.cli;

import static io.sabot.cli.Cli.sabot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sabot run}: option checks, where rejects go, and job files with YAML anchors. */
class RunCommandTest {
  @TempDir
  Path dir;

  private Path discardJob() throws Exception {
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, String.join("\n",
        "job_name: ok",
        "operators:",
        "  - {name: load, type: SOURCE, parameters: {generator: quotes, rows: 10}}",
        "  - {name: out, type: SINK, parameters: {discard: true}}",
        "connect: [[load, out]]"));
    return job;
  }

  @Test
  void shouldRefuseZeroThreadsAsAUsageError() throws Exception {
    Cli r = sabot("run", "--threads", "0", discardJob().toString());
    assertEquals(2, r.exitCode, r.toString());
    assertEquals("Invalid value for option '--threads': 0; use 1 to 1024", r.firstErrLine());
    assertFalse(r.err.contains("Internal error"), r.err);
  }

  @Test
  void shouldRefuseNegativeAndHugeThreadCounts() throws Exception {
    Cli negative = sabot("run", "--threads", "-3", discardJob().toString());
    assertEquals(2, negative.exitCode, negative.toString());
    assertEquals("Invalid value for option '--threads': -3; use 1 to 1024", negative.firstErrLine());
    Cli huge = sabot("run", "--threads", "5000", discardJob().toString());
    assertEquals(2, huge.exitCode, huge.toString());
    assertEquals("Invalid value for option '--threads': 5000; use 1 to 1024", huge.firstErrLine());
  }

  @Test
  void shouldRefuseZeroOrNegativeMemoryAsAUsageError() throws Exception {
    for (String memory : List.of("0", "-5", "-1g")) {
      Cli r = sabot("run", "--memory", memory, discardJob().toString());
      assertEquals(2, r.exitCode, r.toString());
      assertEquals("Invalid value for option '--memory': '" + memory + "' is not a size; use a "
          + "number of bytes with an optional k, m or g suffix, e.g. 512m", r.firstErrLine());
    }
  }

  @Test
  void shouldRunWithOneThread() throws Exception {
    Cli r = sabot("run", "--quiet", "--threads", "1", discardJob().toString());
    assertEquals(0, r.exitCode, r.toString());
    assertTrue(r.err.startsWith("Job ok finished in "), r.err);
  }

  @Test
  void shouldKeepDefaultRejectsInTheJobFolderWhateverTheJobName() throws Exception {
    Path jobDir = Files.createDirectories(dir.resolve("jobs"));
    Files.writeString(jobDir.resolve("q.csv"), "id,price\n1,10.5\n2,abc\n3,7\n");
    Path job = jobDir.resolve("job.yaml");
    Files.writeString(job, String.join("\n",
        "job_name: ../x/evil",
        "operators:",
        "  - {name: load, type: SOURCE, parameters: {path: q.csv, schema: {id: int64, price: float64}}}",
        "  - {name: out, type: SINK, parameters: {discard: true}}",
        "connect: [[load, out]]"));
    Cli r = sabot("run", "--quiet", job.toString());
    assertEquals(0, r.exitCode, r.toString());
    List<String> rejects = Files.readAllLines(jobDir.resolve("___x_evil.rejects.jsonl"));
    assertEquals(1, rejects.size());
    assertTrue(rejects.get(0).startsWith("{\"source\":\"load\",\"partition\":\"q.csv\",\"line\":3,"),
        rejects.get(0));
    assertFalse(Files.exists(dir.resolve("x")), "nothing is written outside the job's folder");
    try (var files = Files.list(jobDir)) {
      assertEquals(List.of("___x_evil.rejects.jsonl", "job.yaml", "q.csv"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void shouldKeepAnExplicitRejectsPathAsWritten() throws Exception {
    Path jobDir = Files.createDirectories(dir.resolve("jobs"));
    Files.writeString(jobDir.resolve("q.csv"), "id,price\n1,10.5\n2,abc\n");
    Path job = jobDir.resolve("job.yaml");
    Files.writeString(job, String.join("\n",
        "job_name: ../x/evil",
        "operators:",
        "  - {name: load, type: SOURCE, parameters: {path: q.csv, schema: {id: int64, price: float64},",
        "     rejects_path: ../bad/q.rejects.jsonl}}",
        "  - {name: out, type: SINK, parameters: {discard: true}}",
        "connect: [[load, out]]"));
    Files.createDirectories(dir.resolve("bad"));
    Cli r = sabot("run", "--quiet", job.toString());
    assertEquals(0, r.exitCode, r.toString());
    assertEquals(1, Files.readAllLines(dir.resolve("bad/q.rejects.jsonl")).size());
  }

  @Test
  void shouldRunAJobWhoseSourcesShareASchemaThroughAnAnchor() throws Exception {
    Files.writeString(dir.resolve("a.csv"), "id,name\n1,one\n2,two\n");
    Files.writeString(dir.resolve("b.csv"), "id,name\n3,three\n");
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, String.join("\n",
        "job_name: shared_schema",
        "x-schema: &s {id: int64, name: string}",
        "operators:",
        "  - {name: load_a, type: SOURCE, parameters: {path: a.csv, schema: *s}}",
        "  - {name: load_b, type: SOURCE, parameters: {path: b.csv, schema: *s}}",
        "  - {name: out_a, type: SINK, parameters: {path: out_a.csv}}",
        "  - {name: out_b, type: SINK, parameters: {path: out_b.csv}}",
        "connect: [[load_a, out_a], [load_b, out_b]]"));
    Cli r = sabot("run", "--quiet", job.toString());
    assertEquals(0, r.exitCode, r.toString());
    assertEquals(List.of("id,name", "1,one", "2,two"), Files.readAllLines(dir.resolve("out_a.csv")));
    assertEquals(List.of("id,name", "3,three"), Files.readAllLines(dir.resolve("out_b.csv")));
    Cli explain = sabot("explain", job.toString());
    assertEquals(0, explain.exitCode, explain.toString());
  }

  @Test
  void shouldRefuseAnAliasBombAsAnInvalidJob() throws Exception {
    StringBuilder text = new StringBuilder("job_name: lol\nx-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (char c = 'b'; c <= 'i'; c++) {
      text.append("x-").append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 10; i++) text.append(i == 0 ? "" : ", ").append('*').append((char) (c - 1));
      text.append("]\n");
    }
    text.append("operators: [{name: out, type: SINK, parameters: {discard: true, x: *i}}]\n");
    Path job = dir.resolve("bomb.yaml");
    Files.writeString(job, text);
    Cli r = sabot("run", job.toString());
    assertEquals(2, r.exitCode, r.toString());
    assertEquals("Invalid job: job file " + job + ": YAML aliases expand to more than 100000 "
        + "values (alias=*d at line 6, column 38); refused as a likely alias bomb; write such a "
        + "file without aliases\n", r.err);
  }
}
