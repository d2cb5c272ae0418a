package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.connect.BatchReader;
import io.sabot.connect.text.RecordDecoder;
import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/**
 * The rows of a changelog against a LinkedHashMap of the values (what the feed kept before):
 * the same live rows in the same order (a key keeps its place when updated and goes to the end
 * when deleted and written again) through updates, deletes, values written again, compactions
 * and slot renumbering.
 */
class ChangelogRowsTest {
  private static final Schema COLUMNS = new Schema(List.of(new Field("id", ColumnType.INT64),
      new Field("name", ColumnType.STRING)));

  /** The feed's bookkeeping, without Kafka. */
  private static final class Feed implements AutoCloseable {
    final KeyIndex keys = new KeyIndex();
    final ChangelogRows rows;
    boolean changed;

    Feed(RootAllocator allocator, int batchSize) {
      rows = new ChangelogRows(COLUMNS, allocator, batchSize, RecordDecoder.jsonl(COLUMNS));
    }

    void upsert(String key, String value) throws Exception {
      byte[] b = value.getBytes(StandardCharsets.UTF_8);
      long first = rows.rowsAppended();
      assertNull(rows.decode(b, 0, b.length));
      long hash = ChangelogRows.hash(b, 0, b.length);
      int slot = keys.putIfAbsent(key.getBytes(StandardCharsets.UTF_8), rows.nextSlot());
      if (slot < 0) {
        rows.insert(first, 1, hash);
        changed = true;
      } else if (rows.replace(slot, first, 1, hash)) {
        changed = true;
      }
    }

    void delete(String key) {
      int slot = keys.remove(key.getBytes(StandardCharsets.UTF_8));
      if (slot >= 0) {
        rows.delete(slot);
        changed = true;
      }
    }

    List<String> snapshot() throws Exception {
      changed = false;
      List<String> out = new ArrayList<>();
      try (BatchReader r = rows.snapshot(COLUMNS, keys::renumber)) {
        VectorSchemaRoot next;
        while ((next = r.next()) != null) {
          try (VectorSchemaRoot b = next) {
            BigIntVector id = (BigIntVector) b.getVector(0);
            VarCharVector name = (VarCharVector) b.getVector(1);
            for (int i = 0; i < b.getRowCount(); i++) {
              out.add(value(id.get(i), name.isNull(i) ? null : new String(name.get(i), StandardCharsets.UTF_8)));
            }
          }
        }
      }
      return out;
    }

    @Override
    public void close() {
      rows.close();
    }
  }

  private static String value(long id, String name) {
    return "{\"id\":" + id + ",\"name\":" + (name == null ? "null" : "\"" + name + "\"") + "}";
  }

  @Test
  void shouldKeepTheOrderOfAMapOfLatestValues() throws Exception {
    for (int batchSize : new int[] {1, 3, 16, 1000}) {
      try (RootAllocator allocator = new RootAllocator(); Feed feed = new Feed(allocator, batchSize)) {
        Map<String, String> model = new LinkedHashMap<>();
        Random random = new Random(batchSize);
        for (int op = 0; op < 20_000; op++) {
          String key = "k" + random.nextInt(300);
          int kind = random.nextInt(100);
          if (kind < 60) {
            String v = value(random.nextInt(1000), random.nextInt(10) == 0 ? null : "n" + random.nextInt(50));
            model.put(key, v);
            feed.upsert(key, v);
          } else if (kind < 75) {
            model.remove(key);
            feed.delete(key);
          } else if (kind < 85 && model.containsKey(key)) {
            boolean before = feed.changed;
            feed.upsert(key, model.get(key)); // the same value again: no change
            assertEquals(before, feed.changed);
          } else if (kind < 88) {
            assertEquals(new ArrayList<>(model.values()), feed.snapshot(), "batch size " + batchSize);
            assertEquals(model.size(), feed.rows.liveKeys());
          }
        }
        assertEquals(new ArrayList<>(model.values()), feed.snapshot());
        assertEquals(new ArrayList<>(model.values()), feed.snapshot()); // and again, unchanged
      }
    }
  }

  @Test
  void shouldServeABootstrapWithoutUpdatesAsWholeBatches() throws Exception {
    try (RootAllocator allocator = new RootAllocator(); Feed feed = new Feed(allocator, 100)) {
      List<String> want = new ArrayList<>();
      for (int i = 0; i < 1050; i++) {
        String v = value(i, "n" + i);
        want.add(v);
        feed.upsert(Integer.toString(i), v);
      }
      int batches = 0;
      try (BatchReader r = feed.rows.snapshot(COLUMNS, map -> {
        throw new AssertionError("nothing to renumber");
      })) {
        VectorSchemaRoot next;
        while ((next = r.next()) != null) {
          try (VectorSchemaRoot b = next) {
            batches++;
            assertTrue(b.getRowCount() == 100 || b.getRowCount() == 50, "rows " + b.getRowCount());
          }
        }
      }
      assertEquals(11, batches);
      assertEquals(want, feed.snapshot());
    }
  }

  @Test
  void shouldTellAChangedValueFromTheSameOne() throws Exception {
    try (RootAllocator allocator = new RootAllocator(); Feed feed = new Feed(allocator, 8)) {
      feed.upsert("1", value(1, "a"));
      feed.snapshot();
      feed.upsert("1", value(1, "a"));
      assertFalse(feed.changed);
      // the same table row, other bytes: a change, as the value bytes were compared before
      feed.upsert("1", "{\"name\":\"a\",\"id\":1}");
      assertTrue(feed.changed);
      feed.snapshot();
      feed.upsert("1", value(1, "b"));
      assertTrue(feed.changed);
      assertEquals(List.of(value(1, "b")), feed.snapshot());
    }
  }

  private static VectorSchemaRoot batch(RootAllocator allocator, long... ids) {
    VectorSchemaRoot b = COLUMNS.newBatch(allocator);
    BigIntVector id = (BigIntVector) b.getVector(0);
    VarCharVector name = (VarCharVector) b.getVector(1);
    id.allocateNew(ids.length);
    name.allocateNew(ids.length);
    for (int i = 0; i < ids.length; i++) {
      id.set(i, ids[i]);
      name.setSafe(i, ("n" + ids[i]).getBytes(StandardCharsets.UTF_8));
    }
    b.setRowCount(ids.length);
    return b;
  }

  /**
   * Rows located across many sealed batches, some of them empty, in order, backwards and at
   * random: each row's value is found where it was added (the last batch found is tried first).
   */
  @Test
  void shouldLocateEveryRowInOrderBackwardsAndAtRandom() throws Exception {
    try (RootAllocator allocator = new RootAllocator();
         ChangelogRows rows = new ChangelogRows(COLUMNS, allocator, 4, null)) {
      Random random = new Random(17);
      long next = 0;
      for (int b = 0; b < 300; b++) {
        int n = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(9);
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) ids[i] = next++;
        rows.addBatch(batch(allocator, ids));
      }
      long total = next;
      List<Long> order = new ArrayList<>();
      for (long r = 0; r < total; r++) order.add(r);
      for (long r = total - 1; r >= 0; r--) order.add(r);
      for (int i = 0; i < 3_000; i++) order.add((long) random.nextInt((int) total));
      for (long r : order) {
        BigIntVector id = (BigIntVector) rows.vector(r, 0);
        assertEquals(r, id.get(rows.rowInVector()), "row " + r);
      }
    }
  }

  /** Arrow records: a whole batch per record key, or one row copied per key column value. */
  @Test
  void shouldKeepArrowRecordsAsWholeBatchesOrCopiedRows() throws Exception {
    try (RootAllocator allocator = new RootAllocator();
         ChangelogRows rows = new ChangelogRows(COLUMNS, allocator, 4, null)) {
      KeyIndex keys = new KeyIndex();
      // record key "a": rows 1, 2, 3; "b": rows 4, 5; then "a" again: rows 6; "c": empty batch
      long first = rows.rowsAppended();
      rows.addBatch(batch(allocator, 1, 2, 3));
      keys.putIfAbsent("a".getBytes(StandardCharsets.UTF_8), rows.insert(first, 3, 1));
      first = rows.rowsAppended();
      rows.addBatch(batch(allocator, 4, 5));
      keys.putIfAbsent("b".getBytes(StandardCharsets.UTF_8), rows.insert(first, 2, 2));
      first = rows.rowsAppended();
      rows.addBatch(batch(allocator, 6));
      assertTrue(rows.replace(keys.get("a".getBytes(StandardCharsets.UTF_8)), first, 1, 3));
      // one row copied out of a record's batch
      try (VectorSchemaRoot single = batch(allocator, 7)) {
        first = rows.rowsAppended();
        rows.copyRow(single, 0);
      }
      keys.putIfAbsent(7L, rows.insert(first, 1, 4));
      List<Long> ids = new ArrayList<>();
      try (BatchReader r = rows.snapshot(COLUMNS, keys::renumber)) {
        VectorSchemaRoot next;
        while ((next = r.next()) != null) {
          try (VectorSchemaRoot b = next) {
            for (int i = 0; i < b.getRowCount(); i++) ids.add(((BigIntVector) b.getVector(0)).get(i));
          }
        }
      }
      assertEquals(List.of(6L, 4L, 5L, 7L), ids);
      assertEquals(3, rows.liveKeys());
    }
  }
}
