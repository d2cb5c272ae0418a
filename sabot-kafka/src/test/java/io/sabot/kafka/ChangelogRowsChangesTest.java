package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ReferenceFeed;
import io.sabot.connect.text.RecordDecoder;
import io.sabot.error.SabotBug;
import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/**
 * {@link ChangelogRows#changes} against a model: a map of every key's rows as of the last
 * snapshot or changes, and one as of now. Every row carries its key in {@code id}, so the rows
 * removed and added are grouped by key and compared with the model's: exactly the rows then of
 * the keys that differ, and their rows now (a key written back to its rows of then may be in
 * both or in neither, nothing else may be in either).
 */
class ChangelogRowsChangesTest {
  private static final Schema COLUMNS = new Schema(List.of(new Field("id", ColumnType.INT64),
      new Field("name", ColumnType.STRING)));
  /** The caller's projection, as a reference pipeline may ask: name first, id after. */
  private static final Schema PROJECTED = new Schema(List.of(new Field("name", ColumnType.STRING),
      new Field("id", ColumnType.INT64)));

  /** The feed's bookkeeping without Kafka: jsonl values (one row each) or arrow records (batches). */
  private static final class Feed implements AutoCloseable {
    final RootAllocator allocator;
    final KeyIndex keys = new KeyIndex();
    final ChangelogRows rows;
    final boolean arrow;

    Feed(RootAllocator allocator, int batchSize, boolean arrow) {
      this.allocator = allocator;
      this.arrow = arrow;
      rows = new ChangelogRows(COLUMNS, allocator, batchSize, arrow ? null : RecordDecoder.jsonl(COLUMNS));
    }

    /** Writes {@code names} (one row each) as the record of key {@code id}. */
    void upsert(long id, List<String> names, boolean otherBytes) throws Exception {
      long first = rows.rowsAppended();
      long hash;
      if (arrow) {
        rows.addBatch(batch(allocator, id, names));
        hash = names.hashCode() * 31L + (otherBytes ? 1 : 0);
      } else {
        String name = names.get(0);
        String v = otherBytes
            ? "{\"name\":" + quoted(name) + ",\"id\":" + id + "}"
            : "{\"id\":" + id + ",\"name\":" + quoted(name) + "}";
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        assertNull(rows.decode(b, 0, b.length));
        hash = ChangelogRows.hash(b, 0, b.length);
      }
      int slot = keys.putIfAbsent(key(id), rows.nextSlot());
      if (slot < 0) {
        rows.insert(first, names.size(), hash);
      } else {
        rows.replace(slot, first, names.size(), hash);
      }
    }

    void delete(long id) {
      int slot = keys.remove(key(id));
      if (slot >= 0) rows.delete(slot);
    }

    /** As a co-partitioned feed giving up a partition: the keys of {@code ids} are forgotten. */
    void drop(Set<Long> ids) {
      Set<Integer> slots = new HashSet<>();
      for (long id : ids) slots.add(keys.get(key(id)));
      keys.removeSlots(slots::contains, rows::delete);
    }

    ReferenceFeed.Changes changes() {
      return rows.changes(PROJECTED, keys::renumber);
    }

    /** With {@code keysOnly}, the removed rows read only their id (their name null). */
    ReferenceFeed.Changes changes(boolean keysOnly) {
      return rows.changes(PROJECTED, keysOnly ? Set.of("id") : null, keys::renumber);
    }

    Map<Long, List<String>> snapshot() throws Exception {
      try (BatchReader r = rows.snapshot(PROJECTED, keys::renumber)) {
        return read(r);
      }
    }

    @Override
    public void close() {
      rows.close();
    }
  }

  private static byte[] key(long id) {
    return ("k" + id).getBytes(StandardCharsets.UTF_8);
  }

  private static String quoted(String name) {
    return name == null ? "null" : "\"" + name + "\"";
  }

  private static VectorSchemaRoot batch(RootAllocator allocator, long id, List<String> names) {
    VectorSchemaRoot b = COLUMNS.newBatch(allocator);
    BigIntVector ids = (BigIntVector) b.getVector(0);
    VarCharVector name = (VarCharVector) b.getVector(1);
    ids.allocateNew(names.size());
    name.allocateNew(names.size());
    for (int i = 0; i < names.size(); i++) {
      ids.set(i, id);
      if (names.get(i) == null) {
        name.setNull(i);
      } else {
        name.setSafe(i, names.get(i).getBytes(StandardCharsets.UTF_8));
      }
    }
    b.setRowCount(names.size());
    return b;
  }

  /** The rows of {@code r} (projected: name, id), grouped by key, in order; closes each batch. */
  private static Map<Long, List<String>> read(BatchReader r) throws Exception {
    Map<Long, List<String>> out = new TreeMap<>();
    VectorSchemaRoot next;
    while ((next = r.next()) != null) {
      try (VectorSchemaRoot b = next) {
        assertEquals(List.of("name", "id"), List.of(b.getVector(0).getName(), b.getVector(1).getName()));
        VarCharVector name = (VarCharVector) b.getVector(0);
        BigIntVector id = (BigIntVector) b.getVector(1);
        for (int i = 0; i < b.getRowCount(); i++) {
          out.computeIfAbsent(id.get(i), k -> new ArrayList<>())
              .add(name.isNull(i) ? null : new String(name.get(i), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  /** What a key's rows are in the model: none when absent (or a record of no rows). */
  private static List<String> rowsOf(Map<Long, List<String>> model, long id) {
    List<String> rows = model.get(id);
    return rows == null ? List.of() : rows;
  }

  /**
   * Asks for the changes and checks them against {@code then} and {@code now}: exactly the rows
   * then and now of the keys whose rows differ; a key with the same rows may be in both or neither.
   */
  private static void checkChanges(Feed feed, Map<Long, List<String>> then, Map<Long, List<String>> now,
                                   String where) throws Exception {
    checkChanges(feed, then, now, where, false);
  }

  /** As above; with {@code keysOnly}, every removed row's name must be null (not read). */
  private static void checkChanges(Feed feed, Map<Long, List<String>> then, Map<Long, List<String>> now,
                                   String where, boolean keysOnly) throws Exception {
    Map<Long, List<String>> removed;
    Map<Long, List<String>> added;
    try (ReferenceFeed.Changes changes = feed.changes(keysOnly)) {
      added = read(changes.added()); // either may be read first
      removed = read(changes.removed());
    }
    Map<Long, List<String>> thenAsRemoved = keysOnly ? nullNames(then) : then;
    if (keysOnly) where += ", removed keys only";
    Set<Long> ids = new TreeSet<>(then.keySet());
    ids.addAll(now.keySet());
    ids.addAll(removed.keySet());
    ids.addAll(added.keySet());
    for (long id : ids) {
      List<String> before = rowsOf(then, id);
      List<String> after = rowsOf(now, id);
      String what = where + ", key " + id + " then " + before + " now " + after;
      if (before.equals(after) && !removed.containsKey(id) && !added.containsKey(id)) continue;
      List<String> beforeAsRemoved = rowsOf(thenAsRemoved, id);
      if (before.equals(after)) {
        assertEquals(beforeAsRemoved, rowsOf(removed, id), "written back: in both or neither, " + what);
        assertEquals(after, rowsOf(added, id), "written back: in both or neither, " + what);
        continue;
      }
      assertEquals(beforeAsRemoved, rowsOf(removed, id), "removed, " + what);
      assertEquals(after, rowsOf(added, id), "added, " + what);
    }
  }

  /** The model with every name null: the removed rows of a caller that reads only their keys. */
  private static Map<Long, List<String>> nullNames(Map<Long, List<String>> model) {
    Map<Long, List<String>> out = new HashMap<>();
    model.forEach((k, v) -> out.put(k, new ArrayList<>(Collections.nCopies(v.size(), (String) null))));
    return out;
  }

  private static Map<Long, List<String>> copy(Map<Long, List<String>> model) {
    Map<Long, List<String>> out = new HashMap<>();
    model.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
    return out;
  }

  /**
   * Random upserts, deletes, the same values again (same and other bytes), dropped keys,
   * changes and snapshots, few keys so that snapshots compact; the model is checked at each.
   */
  private static void shouldMatchTheModel(boolean arrow) throws Exception {
    for (int batchSize : new int[] {1, 3, 16, 1000}) {
      for (int keyCount : new int[] {5, 40, 300}) {
        try (RootAllocator allocator = new RootAllocator();
             Feed feed = new Feed(allocator, batchSize, arrow)) {
          Random random = new Random(batchSize * 1000L + keyCount + (arrow ? 7 : 0));
          Map<Long, List<String>> now = new HashMap<>();
          Map<Long, List<String>> then = new HashMap<>();
          int changesAsked = 0;
          int compactions = 0;
          for (int op = 0; op < 20_000; op++) {
            long id = random.nextInt(keyCount);
            int kind = random.nextInt(1000);
            String where = (arrow ? "arrow" : "jsonl") + " batch size " + batchSize + " keys "
                + keyCount + " op " + op;
            if (kind < 600) {
              List<String> names = new ArrayList<>();
              int n = arrow ? random.nextInt(4) : 1;
              for (int i = 0; i < n; i++) names.add(random.nextInt(10) == 0 ? null : "n" + random.nextInt(6));
              feed.upsert(id, names, false);
              now.put(id, names);
            } else if (kind < 750) {
              now.remove(id);
              feed.delete(id);
            } else if (kind < 850 && now.containsKey(id)) {
              // the same rows again: other bytes are a change (both), the same bytes are not
              feed.upsert(id, now.get(id), random.nextBoolean());
            } else if (kind < 860) {
              Set<Long> gone = new HashSet<>();
              int partition = random.nextInt(4);
              for (long k : now.keySet()) {
                if (k % 4 == partition) gone.add(k);
              }
              feed.drop(gone);
              now.keySet().removeAll(gone);
            } else if (kind < 960) {
              long appended = feed.rows.rowsAppended();
              checkChanges(feed, then, now, where, random.nextBoolean());
              if (feed.rows.rowsAppended() < appended) compactions++;
              then = copy(now);
              changesAsked++;
            } else if (kind < 970) {
              long appended = feed.rows.rowsAppended();
              Map<Long, List<String>> snapshot = feed.snapshot();
              if (feed.rows.rowsAppended() < appended) compactions++;
              Map<Long, List<String>> want = new TreeMap<>();
              now.forEach((k, v) -> {
                if (!v.isEmpty()) want.put(k, v);
              });
              assertEquals(want, snapshot, where);
              then = copy(now);
            }
          }
          checkChanges(feed, then, now, "the end");
          // nothing since: both empty
          try (ReferenceFeed.Changes changes = feed.changes()) {
            assertNull(changes.removed().next());
            assertNull(changes.added().next());
          }
          assertTrue(changesAsked > 100);
          if (keyCount <= 40) assertTrue(compactions > 0, "nothing compacted");
          // jsonl: once a step asked for the keys alone, later ones took them from the kept keys
          // (arrow records may hold several rows: their removed rows are always read)
          if (arrow) {
            assertEquals(0, feed.rows.keptKeySteps());
          } else {
            assertTrue(feed.rows.keptKeySteps() > 10, "kept keys used " + feed.rows.keptKeySteps());
          }
        }
      }
    }
  }

  @Test
  void shouldTellTheRowsThenAndNowOfTheKeysChangedAsAMapOfValuesDoes() throws Exception {
    shouldMatchTheModel(false);
  }

  @Test
  void shouldTellWholeRecordsOfSeveralRowsAsAMapOfValuesDoes() throws Exception {
    shouldMatchTheModel(true);
  }

  @Test
  void shouldCountAKeyChangedSeveralTimesOnceAndAKeyInsertedAndDeletedNotAtAll() throws Exception {
    try (RootAllocator allocator = new RootAllocator(); Feed feed = new Feed(allocator, 4, false)) {
      feed.upsert(1, List.of("a"), false);
      feed.upsert(2, List.of("b"), false);
      assertEquals(Map.of(1L, List.of("a"), 2L, List.of("b")), feed.snapshot());
      feed.upsert(1, List.of("a2"), false);
      feed.upsert(1, List.of("a3"), false);
      feed.upsert(3, List.of("c"), false);
      feed.delete(3);
      feed.upsert(4, List.of("d"), false);
      feed.upsert(4, List.of("d2"), false);
      feed.delete(2);
      feed.upsert(2, List.of("b2"), false); // deleted and written again: a new slot
      try (ReferenceFeed.Changes changes = feed.changes()) {
        assertEquals(Map.of(1L, List.of("a"), 2L, List.of("b")), read(changes.removed()));
        assertEquals(Map.of(1L, List.of("a3"), 2L, List.of("b2"), 4L, List.of("d2")),
            read(changes.added()));
      }
      feed.upsert(1, List.of("a3"), false); // the same again: nothing
      feed.delete(4);
      try (ReferenceFeed.Changes changes = feed.changes()) {
        assertEquals(Map.of(4L, List.of("d2")), read(changes.removed()));
        assertEquals(Map.of(), read(changes.added()));
      }
    }
  }

  /**
   * A short run of added rows before a long one (a key changed twice in a step breaks the run)
   * is copied into a batch sized for itself, not for the rows of the sliced runs after it.
   */
  @Test
  void shouldSizeABatchOfCopiesForTheShortRunsItTakes() throws Exception {
    try (RootAllocator allocator = new RootAllocator(); Feed feed = new Feed(allocator, 1000, false)) {
      for (long id = 0; id < 300; id++) feed.upsert(id, List.of("v0-" + id), false);
      feed.snapshot();
      for (long id = 0; id < 300; id++) feed.upsert(id, List.of("v1-" + id), false);
      // key 5's row is now the last: in key order, the added rows are keys 0..4 and 5 (short
      // runs, copied together), then keys 6..299 (a long run, sliced)
      feed.upsert(5, List.of("v2-5"), false);
      try (ReferenceFeed.Changes changes = feed.changes()) {
        List<Integer> rows = new ArrayList<>();
        List<Integer> capacities = new ArrayList<>();
        VectorSchemaRoot next;
        while ((next = changes.added().next()) != null) {
          try (VectorSchemaRoot b = next) {
            rows.add(b.getRowCount());
            capacities.add(b.getVector("id").getValueCapacity());
          }
        }
        assertEquals(List.of(6, 294), rows);
        assertTrue(capacities.get(0) < 64, "the 6 copied rows' batch holds " + capacities.get(0));
      }
    }
  }

  /**
   * The earlier rows of keys changed in another order than they were written are given in the
   * order they lie: 200 keys updated last to first give their earlier rows ids ascending (in the
   * order of the changes they came ids descending).
   */
  @Test
  void shouldGiveTheRemovedRowsInTheOrderTheyLie() throws Exception {
    try (RootAllocator allocator = new RootAllocator(); Feed feed = new Feed(allocator, 1000, false)) {
      for (long id = 0; id < 200; id++) feed.upsert(id, List.of("v0-" + id), false);
      feed.snapshot();
      for (long id = 199; id >= 0; id--) feed.upsert(id, List.of("v1-" + id), false);
      try (ReferenceFeed.Changes changes = feed.changes(true)) {
        List<Long> ids = new ArrayList<>();
        VectorSchemaRoot next;
        while ((next = changes.removed().next()) != null) {
          try (VectorSchemaRoot b = next) {
            BigIntVector id = (BigIntVector) b.getVector("id");
            for (int i = 0; i < b.getRowCount(); i++) ids.add(id.get(i));
          }
        }
        List<Long> ascending = new ArrayList<>();
        for (long id = 0; id < 200; id++) ascending.add(id);
        assertEquals(ascending, ids);
        assertEquals(200, read(changes.added()).size());
      }
    }
  }

  /**
   * A table keyed by the record key and joined on another column: an update may change the join
   * column, and a join key may be null. The kept keys give each removed row the key its row had
   * then (not the new one), nulls as nulls.
   */
  @Test
  void shouldKeepTheJoinKeyEachRowHadWhenTheRecordKeyIsAnother() throws Exception {
    try (RootAllocator allocator = new RootAllocator();
         ChangelogRows rows = new ChangelogRows(COLUMNS, allocator, 16, RecordDecoder.jsonl(COLUMNS))) {
      KeyIndex keys = new KeyIndex();
      BiConsumer<String, String> upsert = (recordKey, json) -> {
        try {
          long first = rows.rowsAppended();
          byte[] b = json.getBytes(StandardCharsets.UTF_8);
          assertNull(rows.decode(b, 0, b.length));
          int slot = keys.putIfAbsent(recordKey.getBytes(StandardCharsets.UTF_8), rows.nextSlot());
          long hash = ChangelogRows.hash(b, 0, b.length);
          if (slot < 0) {
            rows.insert(first, 1, hash);
          } else {
            rows.replace(slot, first, 1, hash);
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      };
      upsert.accept("a", "{\"id\":1,\"name\":\"a0\"}");
      upsert.accept("b", "{\"id\":null,\"name\":\"b0\"}");
      upsert.accept("c", "{\"id\":3,\"name\":\"c0\"}");
      try (ReferenceFeed.Changes first = rows.changes(PROJECTED, Set.of("id"), keys::renumber)) {
        assertEquals(List.of(), ids(first.removed())); // the first step: the keys start being kept
        assertEquals(Arrays.asList(1L, null, 3L), ids(first.added()));
      }
      upsert.accept("a", "{\"id\":5,\"name\":\"a1\"}");
      upsert.accept("b", "{\"id\":7,\"name\":\"b1\"}");
      upsert.accept("c", "{\"id\":null,\"name\":\"c1\"}");
      try (ReferenceFeed.Changes second = rows.changes(PROJECTED, Set.of("id"), keys::renumber)) {
        assertEquals(Arrays.asList(1L, null, 3L), ids(second.removed()));
        assertEquals(Arrays.asList(5L, 7L, null), ids(second.added()));
      }
      assertEquals(1, rows.keptKeySteps());
      upsert.accept("a", "{\"id\":9,\"name\":\"a2\"}");
      upsert.accept("c", "{\"id\":11,\"name\":\"c2\"}");
      try (ReferenceFeed.Changes third = rows.changes(PROJECTED, Set.of("id"), keys::renumber)) {
        assertEquals(Arrays.asList(5L, null), ids(third.removed()));
        assertEquals(Arrays.asList(9L, 11L), ids(third.added()));
      }
      assertEquals(2, rows.keptKeySteps());
    }
  }

  /** The ids of {@code r}'s rows in order (null for a null id); closes each batch. */
  private static List<Long> ids(BatchReader r) throws Exception {
    List<Long> out = new ArrayList<>();
    VectorSchemaRoot next;
    while ((next = r.next()) != null) {
      try (VectorSchemaRoot b = next) {
        BigIntVector id = (BigIntVector) b.getVector("id");
        for (int i = 0; i < b.getRowCount(); i++) out.add(id.isNull(i) ? null : id.get(i));
      }
    }
    return out;
  }

  /** Runs sorted by their start, adjacent ones joined (then long enough to be sliced). */
  @Test
  void shouldSortRunsByTheirStartAndJoinAdjacentOnes() {
    ChangelogRows.Runs runs = new ChangelogRows.Runs();
    runs.add(5, 1);
    runs.add(10, 2);
    runs.add(1, 2);
    runs.add(3, 2);
    runs.sortByStart();
    assertEquals(2, runs.size);
    assertEquals(List.of(1L, 6L, 10L, 12L), List.of(runs.start[0], runs.end[0], runs.start[1], runs.end[1]));
  }

  /** Two keys' earlier rows never overlap; if they did, the runs could not be paired again. */
  @Test
  void shouldRefuseRunsThatOverlap() {
    ChangelogRows.Runs runs = new ChangelogRows.Runs();
    runs.add(3, 1);
    runs.add(1, 5);
    assertThrows(SabotBug.class, runs::sortByStart);
  }

  /**
   * A batch opened after a step of changes is allocated for about twice that step's rows (at
   * least 64, at most a batch), not a whole batch: each step seals the batch being filled.
   */
  @Test
  void shouldOpenTheBatchAfterAStepForAboutTheRowsOfThatStep() throws Exception {
    try (RootAllocator allocator = new RootAllocator(); Feed feed = new Feed(allocator, 8192, false)) {
      assertEquals(8192, feed.rows.openCapacity());
      for (long id = 0; id < 3000; id++) feed.upsert(id, List.of("v0-" + id), false);
      feed.snapshot();
      assertEquals(8192, feed.rows.openCapacity());
      for (long id = 0; id < 10; id++) feed.upsert(id, List.of("v1-" + id), false);
      feed.changes().close();
      assertEquals(ChangelogRows.LEAST_OPEN, feed.rows.openCapacity());
      for (long id = 0; id < 1500; id++) feed.upsert(id, List.of("v2-" + id), false);
      feed.changes().close();
      assertEquals(3000, feed.rows.openCapacity());
      for (long id = 0; id < 3000; id++) feed.upsert(id, List.of("v3-" + id), false);
      try (ReferenceFeed.Changes changes = feed.changes()) {
        assertEquals(3000, read(changes.added()).size());
      }
      assertEquals(6000, feed.rows.openCapacity());
    }
  }

  /** A column asked for that the rows do not store is a bug, never a column of nulls. */
  @Test
  void shouldRefuseAColumnThatIsNotStored() throws Exception {
    try (RootAllocator allocator = new RootAllocator(); Feed feed = new Feed(allocator, 4, false)) {
      feed.upsert(1, List.of("a"), false);
      Schema other = new Schema(List.of(new Field("id", ColumnType.INT64),
          new Field("sector", ColumnType.STRING)));
      SabotBug e = assertThrows(SabotBug.class, () -> feed.rows.changes(other, Set.of("id"), x -> { }));
      assertTrue(e.getMessage().contains("column sector is not among the stored columns"), e.getMessage());
      assertThrows(SabotBug.class, () -> feed.rows.liveRows(other));
    }
  }

  /**
   * Removed rows read for their keys only, in a long run (sliced from the stored batches) and in
   * short ones (copied): every id is there, every name null; the added rows are whole.
   */
  @Test
  void shouldLeaveTheOtherColumnsOfRemovedRowsNullWhenOnlyTheirKeysAreAskedFor() throws Exception {
    try (RootAllocator allocator = new RootAllocator(); Feed feed = new Feed(allocator, 1000, false)) {
      for (long id = 0; id < 300; id++) feed.upsert(id, List.of("v0-" + id), false);
      feed.snapshot();
      Map<Long, List<String>> removedWant = new TreeMap<>();
      Map<Long, List<String>> addedWant = new TreeMap<>();
      for (long id = 0; id < 200; id++) { // rows 0..199: one run of 200, sliced
        feed.upsert(id, List.of("v1-" + id), false);
        removedWant.put(id, Collections.singletonList(null));
        addedWant.put(id, List.of("v1-" + id));
      }
      for (long id = 210; id < 300; id += 10) { // single rows: copied
        feed.upsert(id, List.of("v1-" + id), false);
        removedWant.put(id, Collections.singletonList(null));
        addedWant.put(id, List.of("v1-" + id));
      }
      try (ReferenceFeed.Changes changes = feed.changes(true)) {
        assertEquals(removedWant, read(changes.removed()));
        assertEquals(addedWant, read(changes.added()));
      }
    }
  }

  /**
   * A snapshot written to disk between two changes reads the live rows as they are and takes
   * nothing from the next changes (a reset there would leave the table without those updates).
   */
  @Test
  void shouldKeepTheChangesForTheTableWhenTheLiveRowsAreReadForADiskSnapshot() throws Exception {
    try (RootAllocator allocator = new RootAllocator(); Feed feed = new Feed(allocator, 2, false)) {
      for (long id = 0; id < 10; id++) feed.upsert(id, List.of("v0-" + id), false);
      feed.snapshot();
      for (int round = 1; round <= 30; round++) {
        feed.upsert(round % 3, List.of("v" + round), false); // dead rows pile up on keys 0..2
      }
      Map<Long, List<String>> live;
      try (BatchReader r = feed.rows.liveRows(PROJECTED)) {
        live = read(r);
      }
      assertEquals(List.of("v30"), live.get(0L));
      assertEquals(10, live.size());
      try (ReferenceFeed.Changes changes = feed.changes()) {
        assertEquals(Map.of(0L, List.of("v0-0"), 1L, List.of("v0-1"), 2L, List.of("v0-2")),
            read(changes.removed()));
        assertEquals(Map.of(0L, List.of("v30"), 1L, List.of("v28"), 2L, List.of("v29")),
            read(changes.added()));
      }
    }
  }

  /**
   * Updates of few keys pile up dead rows, and each changes seals a batch: changes compacts them
   * as a snapshot would, after taking its slices (so the rows then are still read right), and the
   * memory held stays that of the live rows.
   */
  @Test
  void shouldCompactInChangesAfterTakingTheRowsThen() throws Exception {
    for (int batchSize : new int[] {2, 1024}) {
      try (RootAllocator allocator = new RootAllocator();
           Feed feed = new Feed(allocator, batchSize, false)) {
        feed.upsert(1, List.of("a"), false);
        feed.snapshot();
        int compactions = 0;
        long most = 0;
        for (int i = 0; i < 2100; i++) {
          feed.upsert(1, List.of("a" + i), false);
          feed.upsert(2, List.of("b" + i), false);
          long appended = feed.rows.rowsAppended();
          try (ReferenceFeed.Changes changes = feed.changes()) {
            if (feed.rows.rowsAppended() < appended) compactions++;
            Map<Long, List<String>> removed = read(changes.removed());
            Map<Long, List<String>> added = read(changes.added());
            assertEquals(List.of(i == 0 ? "a" : "a" + (i - 1)), removed.get(1L));
            assertEquals(i == 0 ? null : List.of("b" + (i - 1)), removed.get(2L));
            assertEquals(Map.of(1L, List.of("a" + i), 2L, List.of("b" + i)), added);
          }
          most = Math.max(most, allocator.getAllocatedMemory());
        }
        // 4,200 rows written, 2 live: a compaction once the dead rows pass 2 + 4 batches (4,098
        // at 1,024 rows; the small batch each call seals is joined with the ones before it, not
        // compacted)
        assertTrue(compactions >= (batchSize == 2 ? 100 : 1), "compactions " + compactions);
        // without compacting or joining: a sealed batch per call, 2100 of them (some 60 MB at
        // 1024 rows)
        assertTrue(most < 2_000_000, "memory held " + most);
        assertTrue(feed.rows.sealedBatches() <= 2 * ChangelogRows.COALESCED + 4,
            "batches " + feed.rows.sealedBatches());
        feed.upsert(1, List.of("x"), false);
        assertEquals(Map.of(1L, List.of("x"), 2L, List.of("b2099")), feed.snapshot());
        feed.upsert(2, List.of("y"), false);
        try (ReferenceFeed.Changes changes = feed.changes()) {
          assertEquals(Map.of(2L, List.of("b2099")), read(changes.removed()));
          assertEquals(Map.of(2L, List.of("y")), read(changes.added()));
        }
      }
    }
  }

  /**
   * Keys updated at random, scattered over the stored rows: their rows then come as a few
   * batches of copies (a batch each would be a million batches after a catch-up of a table
   * updated at 100K/s, and heap many times the table's), and a long run of keys inserted in
   * order as slices, in order with the copies around it.
   */
  @Test
  void shouldCopyScatteredRowsIntoFewBatchesAndSliceLongRuns() throws Exception {
    try (RootAllocator allocator = new RootAllocator(); Feed feed = new Feed(allocator, 512, false)) {
      for (long id = 0; id < 10_000; id++) feed.upsert(id, List.of("v0-" + id), false);
      feed.snapshot();
      java.util.Random random = new java.util.Random(3);
      Map<Long, List<String>> then = new TreeMap<>();
      Map<Long, List<String>> now = new TreeMap<>();
      for (int i = 0; i < 3_000; i++) {
        long id = random.nextInt(10_000);
        then.putIfAbsent(id, List.of("v0-" + id));
        feed.upsert(id, List.of("v1-" + id), false);
        now.put(id, List.of("v1-" + id));
      }
      for (long id = 10_000; id < 10_200; id++) { // new keys, in order: one long run
        feed.upsert(id, List.of("new-" + id), false);
        now.put(id, List.of("new-" + id));
      }
      try (ReferenceFeed.Changes changes = feed.changes()) {
        List<VectorSchemaRoot> removed = new ArrayList<>();
        VectorSchemaRoot b;
        while ((b = changes.removed().next()) != null) removed.add(b);
        try {
          int rows = removed.stream().mapToInt(VectorSchemaRoot::getRowCount).sum();
          assertEquals(then.size(), rows);
          assertTrue(removed.size() <= rows / 512 + 1, removed.size() + " batches for " + rows
              + " scattered rows");
        } finally {
          removed.forEach(VectorSchemaRoot::close);
        }
        assertEquals(now, read(changes.added()));
      }
    }
  }

  /** A reader not read to its end still gives its slices back (the allocator closes clean). */
  @Test
  void shouldReleaseChangesNotRead() throws Exception {
    try (RootAllocator allocator = new RootAllocator(); Feed feed = new Feed(allocator, 2, false)) {
      for (int i = 0; i < 10; i++) feed.upsert(i, List.of("a" + i), false);
      feed.snapshot();
      for (int i = 0; i < 10; i++) feed.upsert(i, List.of("b" + i), false);
      try (ReferenceFeed.Changes changes = feed.changes()) {
        changes.added().next().close();
      }
    }
  }
}
