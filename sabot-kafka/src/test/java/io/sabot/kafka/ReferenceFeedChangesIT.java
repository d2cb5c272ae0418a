package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.connect.BatchReader;
import io.sabot.connect.OwnedPartitions;
import io.sabot.connect.ReadContext;
import io.sabot.connect.RecordRejecter;
import io.sabot.connect.ReferenceFeed;
import io.sabot.graph.OnError;
import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link KafkaReferenceFeed#changes()} on a real topic: after upserts, tombstones and values
 * written again, exactly the rows then and now of the keys changed since the last snapshot or
 * changes; co-partitioned, the keys of a partition given up are removed and those of a
 * partition taken are added.
 */
@Tag("integration")
class ReferenceFeedChangesIT {
  private static final Schema SCHEMA = new Schema(List.of(new Field("ID", ColumnType.INT64),
      new Field("NAME", ColumnType.STRING)));
  private static final RecordRejecter FAIL = (partition, position, raw, reason) -> {
    throw new AssertionError("rejected " + raw + ": " + reason);
  };

  private static KafkaSourceConfig config(String topic) {
    return config(topic, Map.of());
  }

  private static KafkaSourceConfig config(String topic, Map<String, String> properties) {
    return new KafkaSourceConfig("securities", topic, TestBroker.bootstrap(), RecordFormat.JSONL,
        SCHEMA, null, "earliest", false, properties, null, null, OnError.FAIL, false);
  }

  private static String security(long id, String name) {
    return "{\"ID\":" + id + ",\"NAME\":\"" + name + "\"}";
  }

  /** Writes key, value pairs (null value: tombstone) to partition {@code partition}; waits for acks. */
  private static void produce(String topic, int partition, String... kv) throws Exception {
    try (KafkaProducer<byte[], byte[]> p = KafkaClients.producer(TestBroker.bootstrap(),
        "test-producer", null, Map.of())) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (int i = 0; i < kv.length; i += 2) {
        acks.add(p.send(new ProducerRecord<>(topic, partition, TestBroker.bytes(kv[i]),
            TestBroker.bytes(kv[i + 1]))));
      }
      p.flush();
      for (Future<RecordMetadata> a : acks) a.get();
    }
  }

  /** The rows of {@code r} as ID -> NAME; each batch closed. */
  private static Map<Long, String> read(BatchReader r) throws Exception {
    Map<Long, String> out = new TreeMap<>();
    VectorSchemaRoot next;
    while ((next = r.next()) != null) {
      try (VectorSchemaRoot b = next) {
        BigIntVector id = (BigIntVector) b.getVector("ID");
        VarCharVector name = (VarCharVector) b.getVector("NAME");
        for (int i = 0; i < b.getRowCount(); i++) {
          String previous = out.put(id.get(i), new String(name.get(i), StandardCharsets.UTF_8));
          assertNull(previous, "key " + id.get(i) + " twice");
        }
      }
    }
    return out;
  }

  private static Map<Long, String> snapshot(ReferenceFeed feed) throws Exception {
    try (BatchReader r = feed.snapshot()) {
      return read(r);
    }
  }

  /** A new topic of two partitions: keys 1 (A) and 2 (B) on partition 0, 3 (C) on partition 1. */
  private static String threeKeysOnTwoPartitions() throws Exception {
    String topic = TestBroker.topic("securities");
    TestBroker.createTopic(topic, 2, false);
    produce(topic, 0, "1", security(1, "A"), "2", security(2, "B"));
    produce(topic, 1, "3", security(3, "C"));
    return topic;
  }

  /** A feed of {@link #threeKeysOnTwoPartitions()}'s topic, its first snapshot checked. */
  private static KafkaReferenceFeed openAtThreeKeys(String topic, RootAllocator allocator)
      throws Exception {
    KafkaReferenceFeed feed = KafkaReferenceFeed.open(config(topic), SCHEMA,
        new ReadContext(allocator, SCHEMA, 100, FAIL));
    try {
      assertEquals(Map.of(1L, "A", 2L, "B", 3L, "C"), snapshot(feed));
      return feed;
    } catch (Exception | Error e) {
      feed.close();
      throw e;
    }
  }

  /** The feed's changes: removed, then added. */
  private static List<Map<Long, String>> changes(ReferenceFeed feed) throws Exception {
    try (ReferenceFeed.Changes c = feed.changes()) {
      return List.of(read(c.removed()), read(c.added()));
    }
  }

  @Test
  void shouldTellTheRowsThenAndNowOfTheKeysUpsertedAndDeleted() throws Exception {
    String topic = TestBroker.topic("securities");
    TestBroker.createTopic(topic, 1, false);
    produce(topic, 0, "1", security(1, "A"), "2", security(2, "B"), "3", security(3, "C"));
    try (RootAllocator allocator = new RootAllocator();
         KafkaReferenceFeed feed = openAtThreeKeys(topic, allocator)) {
      assertFalse(feed.poll());

      // 2 updated twice, 3 deleted, 4 inserted, 1 written again as it was, 5 inserted and deleted
      produce(topic, 0, "2", security(2, "B2"), "3", null, "4", security(4, "D"),
          "1", security(1, "A"), "5", security(5, "E"), "5", null, "2", security(2, "B3"));
      assertTrue(feed.poll());
      assertEquals(List.of(Map.of(2L, "B", 3L, "C"), Map.of(2L, "B3", 4L, "D")), changes(feed));
      assertFalse(feed.poll(), "nothing since the changes");
      assertEquals(List.of(Map.of(), Map.of()), changes(feed));

      // deleted and written again
      produce(topic, 0, "4", null, "4", security(4, "D2"), "1", security(1, "A1"));
      assertTrue(feed.poll());
      assertEquals(List.of(Map.of(1L, "A", 4L, "D"), Map.of(1L, "A1", 4L, "D2")), changes(feed));

      // a snapshot in between (the caller's fallback): the changes after it are from it
      produce(topic, 0, "2", security(2, "B4"));
      assertTrue(feed.poll());
      assertEquals(Map.of(1L, "A1", 2L, "B4", 4L, "D2"), snapshot(feed));
      assertFalse(feed.poll());
      produce(topic, 0, "2", security(2, "B5"), "1", null);
      assertTrue(feed.poll());
      assertEquals(List.of(Map.of(1L, "A1", 2L, "B4"), Map.of(2L, "B5")), changes(feed));
    }
  }

  /**
   * pollArrived (a table's own thread, reference_refresh_ms) takes the changes that arrived from
   * what the consumer fetched: idle, a hundred calls send a few fetches (one each 20 ms at most),
   * where poll asks for the end offsets each call; the changes written to both partitions are all
   * taken.
   */
  @Test
  void shouldTakeTheChangesThatArrivedFromWhatWasFetchedWithoutAskingForTheEnd() throws Exception {
    String topic = threeKeysOnTwoPartitions();
    try (RootAllocator allocator = new RootAllocator();
         KafkaReferenceFeed feed = openAtThreeKeys(topic, allocator)) {
      double before = feed.requestsSent();
      for (int i = 0; i < 100; i++) {
        assertFalse(feed.pollArrived(), "nothing changed");
        Thread.sleep(1);
      }
      double arrived = feed.requestsSent() - before;
      before = feed.requestsSent();
      for (int i = 0; i < 100; i++) {
        assertFalse(feed.poll(), "nothing changed");
        Thread.sleep(1);
      }
      double polled = feed.requestsSent() - before;
      assertTrue(polled >= 100, "poll asks for the end offsets each call: " + polled);
      assertTrue(arrived * 4 < polled, "pollArrived sent " + arrived + " requests in 100 idle "
          + "calls, poll " + polled);

      produce(topic, 0, "2", security(2, "B2"), "1", null);
      produce(topic, 1, "4", security(4, "D"), "3", security(3, "C2"));
      Map<Long, String> expected = Map.of(2L, "B2", 3L, "C2", 4L, "D");
      Map<Long, String> rows = null;
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!expected.equals(rows) && System.nanoTime() < deadline) {
        if (feed.pollArrived()) rows = snapshot(feed);
        Thread.sleep(1);
      }
      assertEquals(expected, rows);
    }
  }

  /**
   * A change written while pollArrived idles every 10 ms is taken by a call that does not wait:
   * reading to the end offsets right after the records came waited up to 500 ms, the end-offsets
   * request queued behind the fetch the consumer sends as it hands records over, which the broker
   * holds until more come.
   */
  @Test
  void shouldTakeAChangeWrittenWhileIdleWithoutWaitingForTheNextFetch() throws Exception {
    String topic = threeKeysOnTwoPartitions();
    try (RootAllocator allocator = new RootAllocator();
         KafkaReferenceFeed feed = openAtThreeKeys(topic, allocator)) {
      for (int change = 0; change < 3; change++) {
        produce(topic, change % 2, "2", security(2, "B" + change));
        long deadline = System.nanoTime() + 30_000_000_000L;
        long took = -1;
        while (took < 0 && System.nanoTime() < deadline) {
          long start = System.nanoTime();
          if (feed.pollArrived()) took = System.nanoTime() - start;
          Thread.sleep(10);
        }
        assertTrue(took >= 0, "change " + change + " never taken");
        assertTrue(took < 300_000_000L, "the call that took change " + change + " took "
            + took / 1_000_000 + " ms");
        assertEquals("B" + change, snapshot(feed).get(2L));
      }
    }
  }

  /**
   * poll (the reader, before every batch) right after a change was taken: its end-offsets request
   * waits behind the fetch the consumer sent as it handed the change over, which the broker holds
   * until more records come, for fetch.max.wait.ms (Kafka's 500 ms took it 510 ms; 20 ms here).
   */
  @Test
  void shouldNotWaitForTheNextFetchInThePollAfterAChange() throws Exception {
    String topic = threeKeysOnTwoPartitions();
    try (RootAllocator allocator = new RootAllocator();
         KafkaReferenceFeed feed = openAtThreeKeys(topic, allocator)) {
      for (int change = 0; change < 3; change++) {
        produce(topic, change % 2, "2", security(2, "B" + change));
        assertTrue(feed.poll(), "change " + change);
        assertEquals("B" + change, snapshot(feed).get(2L));
        long start = System.nanoTime();
        assertFalse(feed.poll());
        long took = System.nanoTime() - start;
        assertTrue(took < 300_000_000L, "the poll after change " + change + " took "
            + took / 1_000_000 + " ms");
      }
    }
  }

  /**
   * A backlog larger than the socket's buffer written while pollArrived idles every 300 ms: the
   * fetch answer carrying it comes a piece a call, but once a record has come, or a second has
   * passed, pollArrived reads to the end offsets, and the whole backlog is taken within a few
   * calls (read a piece a call, it took over sixty, or never, once the answer took longer than
   * the request timeout). The socket's buffer is Kafka's fixed 64 KiB here: with the system's,
   * which Linux grows as the client reads, the answer may come whole whatever pollArrived does.
   */
  @Test
  void shouldTakeABacklogLargerThanTheSocketsBufferWithinAFewCalls() throws Exception {
    String topic = TestBroker.topic("securities");
    TestBroker.createTopic(topic, 2, false);
    produce(topic, 0, "1", security(1, "A"));
    produce(topic, 1, "2", security(2, "B"));
    try (RootAllocator allocator = new RootAllocator();
         KafkaReferenceFeed feed = KafkaReferenceFeed.open(
             config(topic, Map.of("receive.buffer.bytes", "65536")), SCHEMA,
             new ReadContext(allocator, SCHEMA, 100, FAIL))) {
      assertEquals(Map.of(1L, "A", 2L, "B"), snapshot(feed));
      assertFalse(feed.pollArrived());
      String padding = "x".repeat(240);
      int keys = 20_000; // about 5 MB
      for (int partition = 0; partition < 2; partition++) {
        String[] kv = new String[keys];
        for (int i = 0; i < keys / 2; i++) {
          long id = 10 + 2L * i + partition;
          kv[2 * i] = String.valueOf(id);
          kv[2 * i + 1] = security(id, padding + id);
        }
        produce(topic, partition, kv);
      }
      int calls = 0;
      Map<Long, String> rows = snapshot(feed);
      while (rows.size() < keys + 2 && calls < 8) {
        Thread.sleep(300);
        calls++;
        if (feed.pollArrived()) rows = snapshot(feed);
      }
      assertEquals(keys + 2, rows.size(), "rows after " + calls + " calls 300 ms apart");
      assertEquals(padding + 10, rows.get(10L));
      assertEquals(padding + (keys + 9), rows.get((long) keys + 9));
    }
  }

  @Test
  void shouldRemoveTheKeysOfAPartitionGivenUpAndAddThoseOfOneTaken() throws Exception {
    String topic = threeKeysOnTwoPartitions();
    OwnedPartitions owned = new OwnedPartitions();
    owned.add(List.of(0));
    try (RootAllocator allocator = new RootAllocator();
         KafkaReferenceFeed feed = KafkaReferenceFeed.open(config(topic), SCHEMA,
             new ReadContext(allocator, SCHEMA, 100, FAIL), owned)) {
      assertEquals(Map.of(1L, "A", 2L, "B"), snapshot(feed));

      produce(topic, 1, "4", security(4, "D"));
      owned.add(List.of(1));
      assertTrue(feed.poll());
      assertEquals(List.of(Map.of(), Map.of(3L, "C", 4L, "D")), changes(feed));

      owned.remove(List.of(0));
      produce(topic, 1, "3", security(3, "C2"));
      assertTrue(feed.poll());
      assertEquals(List.of(Map.of(1L, "A", 2L, "B", 3L, "C"), Map.of(3L, "C2")), changes(feed));

      produce(topic, 0, "2", security(2, "B2"));
      owned.add(List.of(0));
      assertTrue(feed.poll());
      assertEquals(List.of(Map.of(), Map.of(1L, "A", 2L, "B2")), changes(feed));

      // given up and taken again between two changes: the same rows, in both (or neither)
      owned.remove(List.of(1));
      assertTrue(feed.poll());
      owned.add(List.of(1));
      assertTrue(feed.poll());
      assertEquals(List.of(Map.of(3L, "C2", 4L, "D"), Map.of(3L, "C2", 4L, "D")), changes(feed));
      assertEquals(Map.of(1L, "A", 2L, "B2", 3L, "C2", 4L, "D"), snapshot(feed));
    }
  }
}
