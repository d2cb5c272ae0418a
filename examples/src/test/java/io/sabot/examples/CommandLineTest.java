package io.sabot.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.cli.SabotCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sabot command's exit codes and messages, as a user sees them. */
class CommandLineTest {
  private String stderr;

  private int sabot(String... args) {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return SabotCommand.execute(args);
    } finally {
      System.setErr(original);
      stderr = err.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void shouldRunTheLocalExampleAndPrintTheSummary(@TempDir Path dir) throws Exception {
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, Files.readString(StreamEnrichmentExamplesTest.EXAMPLES
        .resolve("local_enrichment.yaml")).replace("path: quotes.csv", "path: "
        + StreamEnrichmentExamplesTest.EXAMPLES.resolve("quotes.csv")).replace(
        "path: securities.csv", "path: " + StreamEnrichmentExamplesTest.EXAMPLES.resolve("securities.csv")));
    assertEquals(0, sabot("run", "--quiet", job.toString()), stderr);
    assertTrue(stderr.startsWith("Job local_enrichment finished in "), stderr);
    assertTrue(stderr.lines().anyMatch(l -> l.matches(
        "  enrich_quotes +HASH_JOIN +35 +35  matched=35, unmatched=0, reference_rows=20, .*")), stderr);
    assertEquals(36, Files.readAllLines(dir.resolve("enriched_quotes.csv")).size());
  }

  @Test
  void shouldExitWithTwoAndNameTheColumnForAPlanError(@TempDir Path dir) throws Exception {
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, String.join("\n",
        "job_name: typo",
        "operators:",
        "  - {name: load_quotes, type: SOURCE, parameters: {generator: quotes, rows: 10}}",
        "  - {name: filter_quotes, type: FILTER, parameters: {column: prise, operator: '>', value: 100}}",
        "  - {name: out, type: SINK, parameters: {discard: true}}",
        "connect: [[load_quotes, filter_quotes], [filter_quotes, out]]"));
    assertEquals(2, sabot("run", job.toString()));
    assertEquals("Invalid job: column=prise not found in operator filter_quotes; available: "
        + "instrumentId, price, size, ts\n", stderr);
  }

  @Test
  void shouldExitWithOneWhenABadRecordStopsAFailFastSource(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("q.csv"), "id,price\n1,10.5\n2,abc\n");
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, String.join("\n",
        "job_name: strict",
        "operators:",
        "  - {name: load, type: SOURCE, parameters: {path: q.csv, schema: {id: int64, price: float64}, on_error: fail}}",
        "  - {name: out, type: SINK, parameters: {discard: true}}",
        "connect: [[load, out]]"));
    assertEquals(1, sabot("run", "--quiet", job.toString()));
    assertTrue(stderr.startsWith("Execution failed in operator load, partition q.csv: line 3: "
        + "column=price value='abc' is not a float64"), stderr);
  }

  @Test
  void shouldWriteTheWorkloadWithDatagen(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("securities.csv");
    assertEquals(0, sabot("datagen", "securities", "--rows", "5", "--out", out.toString()), stderr);
    assertEquals("1,000007919,SEC1,Financials,NASDAQ,ACTIVE,Security number 1 of the reference "
        + "master,0.5,1.5,2.5,3.5,4.5,5.5,6.5,7.5", Files.readAllLines(out).get(2));
    assertEquals(2, sabot("datagen", "trades", "--rows", "5", "--out", out.toString()));
    assertEquals("Invalid job: datagen TABLE=trades is not known; use quotes or securities\n", stderr);
  }
}
