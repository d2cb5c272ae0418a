package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.exec.OperatorSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code state_backend: rocksdb} on a compacted topic: the table is loaded into RocksDB at open,
 * and upserts, tombstones and rows the reference filter hides, published mid-stream, reach the
 * quotes written after them (the changes applied in place, with one RocksDB write batch each).
 */
@Tag("integration")
class LiveTableInRocksDbIT {
  private static final String JOB = String.join("\n",
      "job_name: live_reference_in_rocksdb",
      "operators:",
      "  - name: quotes",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${QUOTES}, bootstrap_servers: '${BOOTSTRAP}', format: jsonl,",
      "      start: earliest, batch_size: 100, schema: {instrumentId: int64, price: float64}}",
      "  - name: securities",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${SECURITIES}, bootstrap_servers: '${BOOTSTRAP}', format: jsonl,",
      "      schema: {ID: int64, NAME: string, TIER: int64}}",
      "  - name: enrich",
      "    type: HASH_JOIN",
      "    parameters: {left_key: instrumentId, right_key: ID, join_type: left outer,",
      "      reference_filter: {column: TIER, operator: '>=', value: 1},",
      "      state_backend: rocksdb, state_dir: '${STATE}'}",
      "  - {name: out, type: SINK, parameters: {kafka_topic: ${ENRICHED}, bootstrap_servers: '${BOOTSTRAP}'}}",
      "connect:",
      "  - [quotes, enrich]",
      "  - [securities, enrich]",
      "  - [enrich, out]",
      "");

  private static String security(long id, String name, long tier) {
    return "{\"ID\":" + id + ",\"NAME\":\"" + name + "\",\"TIER\":" + tier + "}";
  }

  private static String quote(long id) {
    return "{\"instrumentId\":" + id + ",\"price\":" + (100 + id) + "}";
  }

  /** An output row: the quote, NAME and TIER (both null without a visible match). */
  private static String enriched(long id, String name, long tier) {
    return "{\"instrumentId\":" + id + ",\"price\":" + (100 + id) + ".0,\"NAME\":"
        + (name == null ? "null" : "\"" + name + "\"") + ",\"TIER\":" + (name == null ? "null" : tier)
        + "}";
  }

  private static String enriched(long id, String name) {
    return enriched(id, name, 1);
  }

  @Test
  void shouldSeeUpdatesAndTombstonesPublishedMidStreamWithTheTableInRocksDb(@TempDir Path dir)
      throws Exception {
    String quotes = TestBroker.topic("quotes");
    String securities = TestBroker.topic("securities");
    String out = TestBroker.topic("enriched");
    TestBroker.createTopic(quotes, 1, false);
    TestBroker.createTopic(securities, 1, true);
    TestBroker.createTopic(out, 1, false);
    TestBroker.produce(securities, List.of(new String[] {"1", security(1, "A", 1)},
        new String[] {"2", security(2, "B", 1)}, new String[] {"3", security(3, "C", 1)},
        new String[] {"5", security(5, "E", 0)}, new String[] {"6", security(6, "F", 1)},
        new String[] {"6", null}));
    Path job = Jobs.write(dir, "job.yaml", JOB, Map.of("QUOTES", quotes, "SECURITIES", securities,
        "ENRICHED", out, "BOOTSTRAP", TestBroker.bootstrap(), "STATE", dir.resolve("state").toString()));

    StoppableJob running = StoppableJob.start(job, "live-rocksdb-job");
    try {
      TestBroker.produceValues(quotes, List.of(quote(1), quote(2), quote(3), quote(5), quote(6)));
      assertEquals(List.of(enriched(1, "A"), enriched(2, "B"), enriched(3, "C"), enriched(5, null),
          enriched(6, null)), TestBroker.values(TestBroker.readAll(out, 5, Duration.ofSeconds(60))));

      // acknowledged before the next quotes are written: those quotes must see them
      TestBroker.produce(securities, List.of(new String[] {"2", security(2, "B2", 1)},
          new String[] {"3", null}, new String[] {"4", security(4, "D", 2)},
          new String[] {"5", security(5, "E2", 3)}, new String[] {"1", security(1, "A", 0)}));
      TestBroker.produceValues(quotes, List.of(quote(1), quote(2), quote(3), quote(4), quote(5)));
      List<String> second = TestBroker.values(TestBroker.readAll(out, 10, Duration.ofSeconds(60)));
      assertEquals(List.of(enriched(1, null), enriched(2, "B2"), enriched(3, null),
          enriched(4, "D", 2), enriched(5, "E2", 3)), second.subList(5, 10));

      // deleted and written again, a key deleted twice, a tombstone for a key never written
      TestBroker.produce(securities, List.of(new String[] {"3", security(3, "C3", 1)},
          new String[] {"4", null}, new String[] {"4", null}, new String[] {"99", null},
          new String[] {"1", security(1, "A4", 1)}));
      TestBroker.produceValues(quotes, List.of(quote(1), quote(3), quote(4), quote(99)));
      List<String> third = TestBroker.values(TestBroker.readAll(out, 14, Duration.ofSeconds(60)));
      assertEquals(List.of(enriched(1, "A4"), enriched(3, "C3"), enriched(4, null),
          enriched(99, null)), third.subList(10, 14));
    } finally {
      running.stop();
    }
    OperatorSummary join = running.summary().operator("enrich");
    assertEquals("rocksdb", join.details().get("state_backend"), join.details().toString());
    assertTrue(join.detail("reference_rows_changed_in_place") > 0, join.details().toString());
    assertEquals(1, join.detail("reference_rebuilds"), join.details().toString());
    assertEquals(4, join.detail("reference_keys"), "1, 2, 3, 5: " + join.details());
    assertTrue(join.details().containsKey("bytes_on_disk"), join.details().toString());
  }
}
