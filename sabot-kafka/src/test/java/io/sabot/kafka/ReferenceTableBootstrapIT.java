package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.exec.JobSummary;
import io.sabot.exec.OperatorSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bootstrap of a reference table from a topic with duplicates, tombstones and bad records
 * spread over several partitions, read to its end with the fetcher on a thread of its own (more
 * records than a poll) into small batches (so rows are superseded across batches and the rows are
 * compacted): the table must hold exactly the latest value of every key, as a plain map of the
 * records in the order of their partition computes it, keyed by the record key or by a column.
 */
@Tag("integration")
class ReferenceTableBootstrapIT {
  static final String JOB = String.join("\n",
      "job_name: bootstrap_reference",
      "operators:",
      "  - name: quotes",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${QUOTES}, bootstrap_servers: '${BOOTSTRAP}', format: jsonl,",
      "      start: earliest, bounded: true, batch_size: 1000, schema: {instrumentId: int64}}",
      "  - name: securities",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${SECURITIES}, bootstrap_servers: '${BOOTSTRAP}', format: jsonl,",
      "      ${KEY} batch_size: 700, schema: {ID: int64, NAME: string, SECTOR: string, PRICE: float64}}",
      "  - {name: enrich, type: HASH_JOIN, parameters: {left_key: instrumentId, right_key: ID, join_type: left outer}}",
      "  - {name: out, type: SINK, parameters: {path: ${OUT}}}",
      "connect:",
      "  - [quotes, enrich]",
      "  - [securities, enrich]",
      "  - [enrich, out]",
      "");

  private static final int KEYS = 3_000;
  private static final int RECORDS = 45_000;

  /** A security's value; NAME sometimes with an escape or non-ASCII text, SECTOR sometimes null. */
  private static String security(long id, int version, Random random) {
    String name = switch (random.nextInt(8)) {
      case 0 -> "S\\\"" + id + "-" + version; // S"<id>: an escaped quote
      case 1 -> "Société " + id + "-" + version;
      default -> "S" + id + "-" + version;
    };
    String sector = random.nextInt(5) == 0 ? "null" : "\"sector" + random.nextInt(7) + "\"";
    return "{\"ID\":" + id + ",\"NAME\":\"" + name + "\",\"SECTOR\":" + sector
        + ",\"PRICE\":" + (version + 0.25) + ",\"EXTRA\":[1,{\"x\":2}]}";
  }

  /** The output line of a quote: the join's left row plus the table's NAME, SECTOR, PRICE. */
  private static String expected(long id, String value) {
    if (value == null) return "{\"instrumentId\":" + id + ",\"NAME\":null,\"SECTOR\":null,\"PRICE\":null}";
    String rest = value.substring(value.indexOf(",\"NAME\""), value.indexOf(",\"EXTRA\""));
    return "{\"instrumentId\":" + id + rest + "}";
  }

  @Test
  void shouldBootstrapExactlyTheLatestValueOfEveryKey(@TempDir Path dir) throws Exception {
    String quotes = TestBroker.topic("quotes");
    String securities = TestBroker.topic("securities");
    TestBroker.createTopic(quotes, 1, false);
    // not compacted, so the bootstrap sees every duplicate; the record key picks the partition
    TestBroker.createTopic(securities, 3, false);

    Random random = new Random(20261130);
    Map<Long, String> latest = new HashMap<>();
    List<String[]> records = new ArrayList<>();
    int bad = 0;
    for (int i = 0; i < RECORDS; i++) {
      long id = random.nextInt(KEYS);
      String key = Long.toString(id);
      int kind = random.nextInt(100);
      if (kind < 65) {
        String v = security(id, i, random);
        records.add(new String[] {key, v});
        latest.put(id, v);
      } else if (kind < 80) {
        records.add(new String[] {key, null}); // a tombstone, also for keys never written
        latest.remove(id);
      } else if (kind < 90 && latest.containsKey(id)) {
        records.add(new String[] {key, latest.get(id)}); // the same value again
      } else if (kind < 95) {
        // cannot be decoded: a dead letter, and the key keeps its value
        records.add(new String[] {key, random.nextBoolean() ? "{\"ID\":" + id + ",\"NAME\":"
            : "{\"ID\":" + id + ",\"PRICE\":\"cheap\"}"});
        bad++;
      } else {
        String v = security(id, i, random);
        records.add(new String[] {key, v});
        latest.put(id, v);
      }
    }
    TestBroker.produce(securities, records);
    List<String> quoteValues = new ArrayList<>();
    List<String> want = new ArrayList<>();
    for (long id = 0; id < KEYS + 5; id++) {
      quoteValues.add("{\"instrumentId\":" + id + "}");
      want.add(expected(id, latest.get(id)));
    }
    TestBroker.produceValues(quotes, quoteValues);

    for (String key : List.of("", "key: ID,")) {
      Path out = dir.resolve("out-" + key.length() + ".jsonl");
      JobSummary s = Jobs.run(Jobs.write(dir, "job.yaml", JOB, Map.of("QUOTES", quotes,
          "SECURITIES", securities, "BOOTSTRAP", TestBroker.bootstrap(), "KEY", key,
          "OUT", out.toString())));
      assertEquals(want, Files.readAllLines(out), "keyed by " + (key.isEmpty() ? "record key" : key));
      OperatorSummary join = s.operator("enrich");
      assertEquals(latest.size(), join.detail("changelog_keys"));
      assertEquals(latest.size(), join.detail("reference_rows"));
      assertEquals(RECORDS, join.detail("bootstrap_records"));
      assertEquals(bad, s.operator("securities").detail("rejected"));
    }
  }
}
