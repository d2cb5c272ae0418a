package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.exec.JobSummary;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's local enrichment (100 quotes, price > 150, enriched with 20 securities) over a real
 * broker, in the README's three steps: files to Kafka, enrich from Kafka to Kafka (securities as
 * a compacted topic keyed by ID), Kafka back to a file. The rows must be exactly the ones the
 * file-only job writes (examples/stream-enrichment/enriched_quotes.csv), in order.
 */
@Tag("integration")
class SeedExampleOverKafkaIT {
  static final String TO_KAFKA = String.join("\n",
      "job_name: files_to_kafka",
      "operators:",
      "  - {name: quotes_file, type: SOURCE, parameters: {path: ${EXAMPLES}/quotes.csv, format: csv,",
      "       schema: {instrumentId: int64, price: float64, size: int64, ts: int64}}}",
      "  - {name: quotes_topic, type: SINK, parameters: {kafka_topic: ${QUOTES}, format: ${FORMAT},",
      "       bootstrap_servers: '${BOOTSTRAP}'}}",
      "  - {name: securities_file, type: SOURCE, parameters: {path: ${EXAMPLES}/securities.csv, format: csv}}",
      "  - {name: securities_topic, type: SINK, parameters: {kafka_topic: ${SECURITIES}, format: jsonl,",
      "       key: ID, bootstrap_servers: '${BOOTSTRAP}'}}",
      "connect:",
      "  - [quotes_file, quotes_topic]",
      "  - [securities_file, securities_topic]",
      "");

  static final String ENRICH = String.join("\n",
      "job_name: enrich_over_kafka",
      "operators:",
      "  - name: load_quotes",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${QUOTES}, format: ${FORMAT}, bootstrap_servers: '${BOOTSTRAP}',",
      "      bounded: true, schema: {instrumentId: int64, price: float64, size: int64, ts: int64}}",
      "  - {name: filter_quotes, type: FILTER, parameters: {column: price, operator: '>', value: 150}}",
      "  - name: load_securities",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${SECURITIES}, format: jsonl, bootstrap_servers: '${BOOTSTRAP}',",
      "      schema: {ID: int64, CUSIP: string, NAME: string, SECTOR: string, EXCHANGE: string}}",
      "  - {name: select_securities, type: SELECT, parameters: {columns: [ID, CUSIP, NAME, SECTOR]}}",
      "  - {name: enrich_quotes, type: HASH_JOIN, parameters: {left_key: instrumentId, right_key: ID, join_type: inner}}",
      "  - {name: output, type: SINK, parameters: {kafka_topic: ${ENRICHED}, format: ${FORMAT},",
      "       bootstrap_servers: '${BOOTSTRAP}'}}",
      "connect:",
      "  - [load_quotes, filter_quotes]",
      "  - [filter_quotes, enrich_quotes]",
      "  - [load_securities, select_securities]",
      "  - [select_securities, enrich_quotes]",
      "  - [enrich_quotes, output]",
      "");

  static final String TO_FILE = String.join("\n",
      "job_name: kafka_to_file",
      "operators:",
      "  - name: enriched_topic",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${ENRICHED}, format: ${FORMAT}, bootstrap_servers: '${BOOTSTRAP}',",
      "      bounded: true, ${ENRICHED_SCHEMA}}",
      "  - {name: enriched_file, type: SINK, parameters: {path: enriched_quotes.csv, format: csv}}",
      "connect:",
      "  - [enriched_topic, enriched_file]",
      "");

  private void roundTrip(Path dir, String format, String enrichedSchema) throws Exception {
    String quotes = TestBroker.topic("quotes");
    String securities = TestBroker.topic("securities");
    String enriched = TestBroker.topic("enriched");
    TestBroker.createTopic(quotes, 1, false);
    TestBroker.createTopic(securities, 1, true);
    TestBroker.createTopic(enriched, 1, false);
    Map<String, String> v = Map.of("EXAMPLES", Jobs.EXAMPLES.toString(), "BOOTSTRAP",
        TestBroker.bootstrap(), "QUOTES", quotes, "SECURITIES", securities, "ENRICHED", enriched,
        "FORMAT", format, "ENRICHED_SCHEMA", enrichedSchema);

    JobSummary loaded = Jobs.run(Jobs.write(dir, "to_kafka.yaml", TO_KAFKA, v));
    assertEquals(120, loaded.rowsOut());

    JobSummary enrich = Jobs.run(Jobs.write(dir, "enrich.yaml", ENRICH, v));
    assertEquals(100, enrich.streamRowsIn());
    assertEquals(35, enrich.rowsOut());
    assertEquals(20, enrich.operator("enrich_quotes").detail("reference_rows"));
    assertEquals(20, enrich.operator("enrich_quotes").detail("changelog_keys"));

    JobSummary back = Jobs.run(Jobs.write(dir, "to_file.yaml", TO_FILE, v));
    assertEquals(35, back.rowsOut());
    List<String> expected = Jobs.lines(Jobs.EXAMPLES.resolve("expected_enriched_quotes.csv"));
    assertEquals(expected, Jobs.lines(dir.resolve("enriched_quotes.csv")));
  }

  @Test
  void shouldEnrichTheSeedExampleOverKafkaInJson(@TempDir Path dir) throws Exception {
    roundTrip(dir, "jsonl", "schema: {instrumentId: int64, price: float64, size: int64, ts: int64, "
        + "CUSIP: string, NAME: string, SECTOR: string}");
  }

  @Test
  void shouldEnrichTheSeedExampleOverKafkaInArrow(@TempDir Path dir) throws Exception {
    // no schema for the arrow topic: it is read from the first record
    roundTrip(dir, "arrow", "on_error: fail");
  }

  @Test
  void shouldEnrichTheSeedExampleOverKafkaInCsv(@TempDir Path dir) throws Exception {
    roundTrip(dir, "csv", "schema: {instrumentId: int64, price: float64, size: int64, ts: int64, "
        + "CUSIP: string, NAME: string, SECTOR: string}");
  }
}
