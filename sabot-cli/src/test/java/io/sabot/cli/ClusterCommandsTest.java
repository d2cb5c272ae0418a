package io.sabot.cli;

import static io.sabot.cli.Cli.sabot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sabot submit} refuses a job agents cannot run before it connects anywhere (exit 2, the
 * operator named); the commands' wiring to a real broker is tested in sabot-kafka's JobClusterIT.
 */
class ClusterCommandsTest {
  @TempDir Path dir;

  @Test
  void shouldRefuseAJobWhoseStreamIsNotATopic() throws Exception {
    Path job = Files.writeString(dir.resolve("job.yaml"), String.join("\n",
        "job_name: local_only",
        "operators:",
        "  - {name: load, type: SOURCE, parameters: {generator: quotes, rows: 10, reference_rows: 5}}",
        "  - {name: out, type: SINK, parameters: {discard: true}}",
        "connect: [[load, out]]"));
    // nothing listens on port 9: the job must be refused before any connection is tried
    Cli r = sabot("submit", job.toString(), "--bootstrap-servers", "127.0.0.1:9");
    assertEquals(2, r.exitCode, r.toString());
    assertTrue(r.err.contains("operator=load is the stream of a job submitted to agents, so it "
        + "must be a Kafka topic"), r.err);
    assertEquals("", r.out);
  }

  @Test
  void shouldSayWhichConfigFileCannotBeRead() {
    Path missing = dir.resolve("client.properties");
    Cli r = sabot("jobs", "--bootstrap-servers", "127.0.0.1:9", "--config", missing.toString());
    assertEquals(1, r.exitCode, r.toString());
    assertTrue(r.err.contains("cannot read --config=" + missing + " (a Kafka client properties "
        + "file): java.nio.file.NoSuchFileException"), r.err);
  }

  @Test
  void shouldNeedTheBootstrapServers() {
    Cli r = sabot("jobs");
    assertEquals(2, r.exitCode, r.toString());
    assertEquals("Missing required option: '--bootstrap-servers=HOST:PORT'", r.firstErrLine());
  }
}
