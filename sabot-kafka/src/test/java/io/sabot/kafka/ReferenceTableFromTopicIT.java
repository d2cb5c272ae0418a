package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.exec.JobSummary;
import io.sabot.exec.OperatorSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compacted topic on the reference side of a join: a changelog keyed by the record key (or the
 * {@code key} column), upserts replacing and tombstones deleting, loaded to its end before the
 * first stream batch and then kept live.
 */
@Tag("integration")
class ReferenceTableFromTopicIT {
  static final String JOB = String.join("\n",
      "job_name: live_reference",
      "operators:",
      "  - name: quotes",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${QUOTES}, bootstrap_servers: '${BOOTSTRAP}', format: jsonl,",
      "      start: earliest, bounded: ${BOUNDED}, batch_size: 100, schema: {instrumentId: int64, price: float64}}",
      "  - name: securities",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${SECURITIES}, bootstrap_servers: '${BOOTSTRAP}', format: jsonl,",
      "      ${KEY} schema: {ID: int64, NAME: string}}",
      "  - {name: enrich, type: HASH_JOIN, parameters: {left_key: instrumentId, right_key: ID, join_type: left outer}}",
      "  - {name: out, type: SINK, parameters: {${SINK}}}",
      "connect:",
      "  - [quotes, enrich]",
      "  - [securities, enrich]",
      "  - [enrich, out]",
      "");

  private static String security(long id, String name) {
    return "{\"ID\":" + id + ",\"NAME\":\"" + name + "\"}";
  }

  private static String quote(long id) {
    return "{\"instrumentId\":" + id + ",\"price\":" + (100 + id) + "}";
  }

  @Test
  void shouldApplyUpsertsAndTombstonesBeforeTheFirstStreamBatch(@TempDir Path dir) throws Exception {
    String quotes = TestBroker.topic("quotes");
    String securities = TestBroker.topic("securities");
    // not compacted: a compacted topic takes only keyed records, and here the upserts have none
    TestBroker.createTopic(securities, 1, false);
    // keyed by the ID column: upserts need no record key; a tombstone's key is the ID's text
    TestBroker.produce(securities, List.of(
        new String[] {null, security(1, "A")}, new String[] {null, security(2, "B")},
        new String[] {"3", security(3, "C")}, new String[] {null, security(2, "B2")},
        new String[] {"3", null}, new String[] {"99", null}));
    TestBroker.produceValues(quotes, List.of(quote(1), quote(2), quote(3), quote(4)));
    Path out = dir.resolve("out.jsonl");
    JobSummary s = Jobs.run(Jobs.write(dir, "job.yaml", JOB, Map.of("QUOTES", quotes,
        "SECURITIES", securities, "BOOTSTRAP", TestBroker.bootstrap(), "BOUNDED", "true",
        "KEY", "key: ID,", "SINK", "path: " + out)));

    assertEquals(List.of(
        "{\"instrumentId\":1,\"price\":101.0,\"NAME\":\"A\"}",
        "{\"instrumentId\":2,\"price\":102.0,\"NAME\":\"B2\"}",
        "{\"instrumentId\":3,\"price\":103.0,\"NAME\":null}",
        "{\"instrumentId\":4,\"price\":104.0,\"NAME\":null}"), Files.readAllLines(out));
    OperatorSummary join = s.operator("enrich");
    assertEquals(2, join.detail("reference_rows"));
    assertEquals(2, join.detail("changelog_keys"));
    assertEquals(6, join.detail("bootstrap_records"));
    assertEquals(2, join.detail("matched"));
    assertTrue(s.format().contains("changelog_keys=2"), s.format());
  }

  @Test
  void shouldSeeReferenceUpdatesAndDeletesPublishedMidStream(@TempDir Path dir) throws Exception {
    Topics t = Topics.create();
    String quotes = t.quotes();
    String securities = t.securities();
    String enriched = t.enriched();
    Path job = t.unboundedJob(dir, JOB);

    UnboundedJob running = UnboundedJob.start(job);
    try {
      TestBroker.produceValues(quotes, List.of(quote(1), quote(2), quote(3)));
      assertEquals(3, TestBroker.readAll(enriched, 3, Duration.ofSeconds(30)).size());

      // acknowledged before the next quotes are written: those quotes must see them
      TestBroker.produce(securities, List.of(new String[] {"2", security(2, "B2")},
          new String[] {"3", null}, new String[] {"4", security(4, "D")}));
      TestBroker.produceValues(quotes, List.of(quote(1), quote(2), quote(3), quote(4)));
      List<String> rows = TestBroker.values(TestBroker.readAll(enriched, 7, Duration.ofSeconds(30)));
      assertEquals(List.of(
          "{\"instrumentId\":1,\"price\":101.0,\"NAME\":\"A\"}",
          "{\"instrumentId\":2,\"price\":102.0,\"NAME\":\"B\"}",
          "{\"instrumentId\":3,\"price\":103.0,\"NAME\":\"C\"}",
          "{\"instrumentId\":1,\"price\":101.0,\"NAME\":\"A\"}",
          "{\"instrumentId\":2,\"price\":102.0,\"NAME\":\"B2\"}",
          "{\"instrumentId\":3,\"price\":103.0,\"NAME\":null}",
          "{\"instrumentId\":4,\"price\":104.0,\"NAME\":\"D\"}"), rows);
    } finally {
      running.stop();
    }
    running.assertStoppedByTheInterrupt();
  }

  /**
   * With reference_refresh_ms the table's own thread reads the topic (its consumer never used by
   * two threads): a change published mid-stream is seen by a later batch, every batch after that
   * sees it too, and the job stops cleanly with its refresher running.
   */
  @Test
  void shouldSeeChangesTakenByTheTablesOwnThreadWithReferenceRefreshMs(@TempDir Path dir)
      throws Exception {
    Topics t = Topics.create();
    String quotes = t.quotes();
    String securities = t.securities();
    String enriched = t.enriched();
    String paced = JOB.replace("join_type: left outer}", "join_type: left outer, reference_refresh_ms: 20}");
    assertTrue(paced.contains("reference_refresh_ms: 20"), paced);
    Path job = t.unboundedJob(dir, paced);

    UnboundedJob running = UnboundedJob.start(job);
    try {
      TestBroker.produceValues(quotes, List.of(quote(1), quote(2), quote(3)));
      assertEquals(List.of(
          "{\"instrumentId\":1,\"price\":101.0,\"NAME\":\"A\"}",
          "{\"instrumentId\":2,\"price\":102.0,\"NAME\":\"B\"}",
          "{\"instrumentId\":3,\"price\":103.0,\"NAME\":\"C\"}"),
          TestBroker.values(TestBroker.readAll(enriched, 3, Duration.ofSeconds(30))));

      TestBroker.produce(securities, List.of(new String[] {"2", security(2, "B2")},
          new String[] {"3", null}, new String[] {"4", security(4, "D")}));
      // a quote of the last key changed, one at a time, until a batch sees its change
      int read = 3;
      String seen = null;
      for (int round = 0; round < 300 && !"D".equals(seen); round++) {
        TestBroker.produceValues(quotes, List.of(quote(4)));
        List<String> rows = TestBroker.values(TestBroker.readAll(enriched, ++read, Duration.ofSeconds(30)));
        String last = rows.get(rows.size() - 1);
        assertTrue(last.equals("{\"instrumentId\":4,\"price\":104.0,\"NAME\":null}")
            || last.equals("{\"instrumentId\":4,\"price\":104.0,\"NAME\":\"D\"}"), last);
        if (last.contains("\"D\"")) seen = "D";
        Thread.sleep(10);
      }
      assertEquals("D", seen, "the change was never seen");
      TestBroker.produceValues(quotes, List.of(quote(1), quote(2), quote(3), quote(4)));
      List<String> rows = TestBroker.values(TestBroker.readAll(enriched, read + 4, Duration.ofSeconds(30)));
      assertEquals(List.of(
          "{\"instrumentId\":1,\"price\":101.0,\"NAME\":\"A\"}",
          "{\"instrumentId\":2,\"price\":102.0,\"NAME\":\"B2\"}",
          "{\"instrumentId\":3,\"price\":103.0,\"NAME\":null}",
          "{\"instrumentId\":4,\"price\":104.0,\"NAME\":\"D\"}"), rows.subList(read, read + 4));
    } finally {
      running.stop();
    }
    running.assertStoppedByTheInterrupt();
  }

  /** An unbounded job on a thread of its own, until {@link #stop()} interrupts it. */
  private static final class UnboundedJob {
    private final AtomicReference<Throwable> ended = new AtomicReference<>();
    private final Thread thread;

    private UnboundedJob(Path job) {
      thread = new Thread(() -> {
        try {
          Jobs.run(job);
        } catch (Throwable t) {
          ended.set(t);
        }
      }, "unbounded-job");
    }

    static UnboundedJob start(Path job) {
      UnboundedJob j = new UnboundedJob(job);
      j.thread.start();
      return j;
    }

    void stop() throws InterruptedException {
      thread.interrupt(); // an unbounded job runs until stopped
      thread.join(30_000);
    }

    void assertStoppedByTheInterrupt() {
      assertTrue(!thread.isAlive(), "the job did not stop when interrupted");
      assertNotNull(ended.get());
      assertTrue(String.valueOf(ended.get().getMessage()).contains("interrupted"),
          "stopped with: " + ended.get());
    }
  }

  /** The topics of an unbounded job: quotes, securities A, B and C (compacted), the output. */
  private record Topics(String quotes, String securities, String enriched) {
    static Topics create() throws Exception {
      Topics t = new Topics(TestBroker.topic("quotes"), TestBroker.topic("securities"),
          TestBroker.topic("enriched"));
      TestBroker.createTopic(t.quotes, 1, false);
      TestBroker.createTopic(t.securities, 1, true);
      TestBroker.createTopic(t.enriched, 1, false);
      TestBroker.produce(t.securities, List.of(new String[] {"1", security(1, "A")},
          new String[] {"2", security(2, "B")}, new String[] {"3", security(3, "C")}));
      return t;
    }

    /** {@code template} reading these topics, unbounded, writing to {@link #enriched}. */
    Path unboundedJob(Path dir, String template) throws Exception {
      return Jobs.write(dir, "job.yaml", template, Map.of("QUOTES", quotes, "SECURITIES",
          securities, "BOOTSTRAP", TestBroker.bootstrap(), "BOUNDED", "false", "KEY", "",
          "SINK", "kafka_topic: " + enriched + ", bootstrap_servers: '" + TestBroker.bootstrap() + "'"));
    }
  }
}
