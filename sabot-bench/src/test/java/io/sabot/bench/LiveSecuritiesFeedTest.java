package io.sabot.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ReadContext;
import io.sabot.connect.ReferenceFeed;
import io.sabot.connect.generator.GeneratorSource;
import io.sabot.types.Schema;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The live generator against a map model of its updates (key -> row), without the engine. */
class LiveSecuritiesFeedTest {
  private static final int R = 1000;
  private static final int BATCH = 64;
  private static final Schema ALL = GeneratorSource.Kind.SECURITIES.schema();
  private static final Schema COLUMNS = new Schema(List.of(ALL.field("ID"), ALL.field("CUSIP"),
      ALL.field("NAME"), ALL.field("SECTOR"), ALL.field("EXCHANGE"), ALL.field("F0")));

  private RootAllocator allocator;
  private final AtomicLong clock = new AtomicLong();

  @Test
  void shouldWriteTheCusipAsNineZeroPaddedDigits() {
    int[] keys = {0, 1, 9, 126_262, 999_999, 1_000_000, 25_000_000, Integer.MAX_VALUE};
    int[] versions = {0, 1, 7_919, 999_999_999, Integer.MAX_VALUE};
    for (int k : keys) {
      for (int s : versions) {
        String expected = String.format("%09d", ((long) k * 7919L + s) % 1_000_000_000L);
        assertEquals(expected, LiveSecuritiesFeed.cusipOf(k, s), "key " + k + ", version " + s);
      }
    }
    assertEquals("000000000", LiveSecuritiesFeed.cusipOf(0, 0));
    assertEquals("000007920", LiveSecuritiesFeed.cusipOf(1, 1));
  }

  @BeforeEach
  void open() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void close() {
    allocator.close(); // fails if a batch was not released
  }

  private LiveSecuritiesFeed feed(long rate, long deleteEvery) throws IOException {
    ReadContext context = new ReadContext(allocator, COLUMNS, BATCH, (p, pos, raw, why) -> {
      throw new AssertionError(why);
    });
    return new LiveSecuritiesFeed(context, R, rate, deleteEvery, clock::get);
  }

  /** The model: every key's row after updates [0, k), as docs say; deleted keys absent. */
  private static Map<Long, List<Object>> model(long k, long deleteEvery) {
    Map<Long, List<Object>> m = new TreeMap<>();
    for (int i = 0; i < R; i++) m.put((long) i, row(i, 0));
    for (long u = 0; u < k; u++) {
      int key = LiveSecuritiesFeed.keyOf(u, R);
      if (LiveSecuritiesFeed.isDelete(u, deleteEvery)) {
        m.remove((long) key);
      } else {
        m.put((long) key, row(key, (int) (u + 1)));
      }
    }
    return m;
  }

  private static List<Object> row(int k, int s) {
    return List.of(LiveSecuritiesFeed.cusipOf(k, s), LiveSecuritiesFeed.nameOf(k, s),
        LiveSecuritiesFeed.sectorOf(k, s), List.of("NYSE", "NASDAQ", "LSE", "XETRA", "TSE").get(k % 5),
        k * 0.5);
  }

  /** The rows a reader gives, by ID (each ID once), closing every batch. */
  private static Map<Long, List<Object>> read(BatchReader reader) throws IOException {
    Map<Long, List<Object>> rows = new TreeMap<>();
    try (reader) {
      VectorSchemaRoot next;
      while ((next = reader.next()) != null) {
        try (VectorSchemaRoot b = next) {
          assertTrue(b.getRowCount() <= BATCH, "batch of " + b.getRowCount() + " rows");
          List<FieldVector> v = b.getFieldVectors();
          for (int r = 0; r < b.getRowCount(); r++) {
            long id = ((BigIntVector) v.get(0)).get(r);
            List<Object> row = List.of(v.get(1).getObject(r).toString(),
                v.get(2).getObject(r).toString(), v.get(3).getObject(r).toString(),
                v.get(4).getObject(r).toString(), v.get(5).getObject(r));
            assertEquals(null, rows.put(id, row), "ID " + id + " twice");
          }
        }
      }
    }
    return rows;
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 7})
  void shouldSnapshotTheModelRowsAfterKUpdates(long deleteEvery) throws IOException {
    try (LiveSecuritiesFeed feed = feed(0, deleteEvery)) {
      assertEquals(model(0, 0), read(feed.snapshot()), "the generated rows");
      for (long k : new long[] {1, 10, 500, 5000}) {
        feed.apply(k);
        assertEquals(model(k, deleteEvery), read(feed.snapshot()), "after " + k + " updates");
      }
      if (deleteEvery > 0) assertTrue(model(5000, deleteEvery).size() < R, "some keys deleted");
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 5})
  void shouldGiveExactlyTheChangedKeysEarlierAndCurrentRows(long deleteEvery) throws IOException {
    try (LiveSecuritiesFeed feed = feed(0, deleteEvery)) {
      read(feed.snapshot());
      long[] steps = {0, 3, 40, 40, 900, 2500};
      for (int i = 1; i < steps.length; i++) {
        feed.apply(steps[i]);
        Map<Long, List<Object>> before = model(steps[i - 1], deleteEvery);
        Map<Long, List<Object>> now = model(steps[i], deleteEvery);
        Map<Long, List<Object>> removed = new HashMap<>();
        Map<Long, List<Object>> added = new HashMap<>();
        for (long u = steps[i - 1]; u < steps[i]; u++) {
          long key = LiveSecuritiesFeed.keyOf(u, R);
          if (before.containsKey(key)) removed.put(key, before.get(key));
          if (now.containsKey(key)) added.put(key, now.get(key));
        }
        try (ReferenceFeed.Changes c = feed.changes()) {
          assertEquals(removed, read(c.removed()), "removed, step " + i);
          assertEquals(added, read(c.added()), "added, step " + i);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1000})
  void shouldApplyRateTimesElapsedSecondsAtEachPoll(long rate) throws IOException {
    try (LiveSecuritiesFeed feed = feed(rate, 0)) {
      assertFalse(feed.poll(), "no time passed");
      clock.addAndGet(2_500_000); // 2.5 ms: 2 updates due
      assertTrue(feed.poll());
      assertEquals(2, feed.applied());
      assertFalse(feed.poll(), "nothing new due");
      clock.addAndGet(1_000_000_000);
      assertTrue(feed.poll());
      assertEquals(1002, feed.applied());
      assertEquals(model(1002, 0), read(feed.snapshot()));
      assertEquals(1002L, feed.stats().get("changelog_upserts"));
      try (ReferenceFeed.Changes c = feed.changes()) {
        assertEquals(Map.of(), read(c.removed()), "nothing since the snapshot");
        assertEquals(Map.of(), read(c.added()));
      }
    }
  }
}
