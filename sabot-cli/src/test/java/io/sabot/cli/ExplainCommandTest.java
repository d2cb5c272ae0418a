package io.sabot.cli;

import static io.sabot.cli.Cli.sabot;
import static io.sabot.testing.CountingConnectorProvider.created;
import static io.sabot.testing.CountingConnectorProvider.opened;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainCommandTest {
  @Test
  void shouldLearnEachSourcesSchemaOnceAndReadNoData(@TempDir Path dir) throws Exception {
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, String.join("\n",
        "job_name: explained",
        "operators:",
        "  - {name: quotes, type: SOURCE, parameters: {counting: 'cli-quotes:quotes', rows: 50}}",
        "  - {name: securities, type: SOURCE, parameters: {counting: 'cli-securities:securities', rows: 10}}",
        "  - {name: enrich, type: HASH_JOIN, parameters: {left_key: instrumentId, right_key: ID}}",
        "  - {name: keep, type: FILTER, parameters: {column: SECTOR, operator: '==', value: Energy}}",
        "  - {name: out, type: SINK, parameters: {discard: true}}",
        "connect: [[quotes, enrich], [securities, enrich], [enrich, keep], [keep, out]]",
        ""));
    for (String[] args : new String[][] {{"explain", job.toString()}, {"explain", "--json", job.toString()}}) {
      Cli r = sabot(args);
      assertEquals(0, r.exitCode, r.toString());
      assertTrue(r.out.contains("SECTOR"), r.out);
    }
    assertEquals(2, created("cli-quotes"), "once per explain, two explains");
    assertEquals(2, created("cli-securities"), "once per explain, two explains");
    assertEquals(0, opened("cli-quotes"));
    assertEquals(0, opened("cli-securities"));
  }

  @Test
  void shouldSayWhatItReadsInItsHelp() {
    Cli r = sabot("explain", "--help");
    assertTrue(r.out.replaceAll("\\s+", " ").contains("Reads each source's header or schema sample "
        + "once"), r.out);
    assertTrue(r.out.replaceAll("\\s+", " ").contains("No stream data is processed and nothing is "
        + "written."), r.out);
  }
}
