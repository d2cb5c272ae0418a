package io.sabot.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.graph.OnDuplicate;
import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@link LiveTable} against a model written here (a map from key to value, kept per version):
 * random upserts and deletes applied in place, every version ever made probed again after each
 * step (a version keeps answering as of its own time while later changes are added), with a
 * reference filter hiding some values, for an int64 key, a string key and a composite key.
 */
class LiveTableTest {
  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close(); // fails when a buffer leaked
  }

  /**
   * What a row's id is stored as: the id itself (dense ids: a direct index), or the id times a
   * large odd number for the kind "sparse" (a hash index of longs).
   */
  private long idScale = 1;

  /** Key columns: "long" and "sparse" (ID int64), "string" (SYM), "composite" (ID, SYM). */
  private static Schema schema() {
    return Schema.of(new Field("ID", ColumnType.INT64), new Field("SYM", ColumnType.STRING),
        new Field("NAME", ColumnType.STRING), new Field("PRICE", ColumnType.FLOAT64));
  }

  private static int[] keyColumns(String kind) {
    switch (kind) {
      case "long":
      case "sparse": return new int[] {0};
      case "string": return new int[] {1};
      default: return new int[] {0, 1};
    }
  }

  /** One row's values: ID, SYM (derived from ID so every key kind is unique per ID), NAME, PRICE. */
  private record Row(long id, String name, Double price) {
    String sym() {
      return "S" + id;
    }
  }

  private VectorSchemaRoot batch(List<Row> rows) {
    VectorSchemaRoot b = schema().newBatch(allocator);
    b.allocateNew();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      ((org.apache.arrow.vector.BigIntVector) b.getVector(0)).setSafe(i, r.id() * idScale);
      ((org.apache.arrow.vector.VarCharVector) b.getVector(1)).setSafe(i, r.sym().getBytes());
      if (r.name() == null) {
        ((org.apache.arrow.vector.VarCharVector) b.getVector(2)).setNull(i);
      } else {
        ((org.apache.arrow.vector.VarCharVector) b.getVector(2)).setSafe(i, r.name().getBytes());
      }
      if (r.price() == null) {
        ((org.apache.arrow.vector.Float8Vector) b.getVector(3)).setNull(i);
      } else {
        ((org.apache.arrow.vector.Float8Vector) b.getVector(3)).setSafe(i, r.price());
      }
    }
    b.setRowCount(rows.size());
    return b;
  }

  /** The filter: names starting with "hidden" are left out. */
  private static boolean[] keep(VectorSchemaRoot batch) {
    boolean[] keep = new boolean[batch.getRowCount()];
    for (int i = 0; i < keep.length; i++) {
      Object name = batch.getVector(2).getObject(i);
      keep[i] = name == null || !name.toString().startsWith("hidden");
    }
    return keep;
  }

  /** What a probe of key {@code id} finds in {@code t}: "NAME|PRICE", or null for no match. */
  private String probe(ReferenceTable t, String kind, long id) {
    return probeAll(t, kind, id + 1)[(int) id];
  }

  /** What probes of keys 0 .. keys-1 find in {@code t}, in one batch. */
  private String[] probeAll(ReferenceTable t, String kind, long keys) {
    int[] keyColumns = keyColumns(kind);
    List<Row> probeRows = new ArrayList<>();
    for (long id = 0; id < keys; id++) probeRows.add(new Row(id, "", 0.0));
    try (VectorSchemaRoot p = batch(probeRows)) {
      FieldVector[] probeKeys = new FieldVector[keyColumns.length];
      for (int k = 0; k < keyColumns.length; k++) probeKeys[k] = p.getVector(keyColumns[k]);
      int n = (int) keys;
      int[] match = new int[n];
      t.probe(probeKeys, TestVectors.identity(n), n, match);
      String[] out = new String[n];
      for (int i = 0; i < n; i++) {
        if (match[i] >= 0) out[i] = t.column(2).getObject(match[i]) + "|" + t.column(3).getObject(match[i]);
      }
      return out;
    }
  }

  private static String expected(Map<Long, Row> model, long id, boolean filtered) {
    Row r = model.get(id);
    if (r == null) return null;
    if (filtered && r.name() != null && r.name().startsWith("hidden")) return null;
    return r.name() + "|" + r.price();
  }

  /**
   * Every index kind: a direct index (dense ids, some added past its range), a hash index of
   * longs, of strings and of two columns. Keys of the base are repointed in its index; new keys
   * of a hash index go to the delta index.
   */
  @ParameterizedTest
  @ValueSource(strings = {"long", "sparse", "string", "composite"})
  void shouldAnswerEveryVersionAsOfItsOwnChangesLikeTheModel(String kind) {
    idScale = kind.equals("sparse") ? 1_000_003L : 1;
    for (boolean filtered : new boolean[] {false, true}) {
      runRandomChanges(kind, filtered, 11 + kind.length());
    }
  }

  private void runRandomChanges(String kind, boolean filtered, long seed) {
    Random random = new Random(seed);
    Map<Long, Row> model = new TreeMap<>();
    List<Row> initial = new ArrayList<>();
    for (long id = 0; id < 300; id += 1 + random.nextInt(2)) {
      Row r = new Row(id, name(random), random.nextInt(10) == 0 ? null : (double) id);
      model.put(id, r);
      initial.add(r);
    }
    List<VectorSchemaRoot> batches = new ArrayList<>(List.of(batch(initial.subList(0, 50)),
        batch(initial.subList(50, initial.size()))));
    LiveTable table = LiveTable.build("enrich", schema(), batches, keyColumns(kind), OnDuplicate.LAST,
        filtered ? LiveTableTest::keep : null, 64 * 1024, allocator);
    List<ReferenceTable> versions = new ArrayList<>();
    List<Map<Long, Row>> models = new ArrayList<>();
    versions.add(table.current());
    models.add(new HashMap<>(model));
    assertEquals(Map.of("long", "direct", "sparse", "hash-long", "string", "hash-multi",
        "composite", "hash-multi").get(kind), versions.get(0).indexKind());
    try {
      for (int step = 0; step < 60; step++) {
        List<Row> removed = new ArrayList<>();
        Map<Long, Row> added = new TreeMap<>();
        int changes = 1 + random.nextInt(20);
        for (int c = 0; c < changes; c++) {
          long id = random.nextInt(360);
          if (added.containsKey(id) || removed.stream().anyMatch(r -> r.id() == id)) continue;
          Row old = model.get(id);
          if (old != null) removed.add(old);
          if (old == null || random.nextInt(4) != 0) {
            added.put(id, new Row(id, name(random), random.nextInt(10) == 0 ? null : (double) step));
          }
        }
        try (VectorSchemaRoot r = batch(removed); VectorSchemaRoot a = batch(new ArrayList<>(added.values()))) {
          assertTrue(table.apply(r, a), "step " + step);
        }
        for (Row r : removed) model.remove(r.id());
        model.putAll(added);
        versions.add(table.current());
        models.add(new HashMap<>(model));
        // every version again now and then (it must not see later changes), else the newest
        for (int v = step % 10 == 9 ? 0 : versions.size() - 1; v < versions.size(); v++) {
          String[] found = probeAll(versions.get(v), kind, 370);
          for (int id = 0; id < 370; id++) {
            assertEquals(expected(models.get(v), id, filtered), found[id],
                kind + " filtered=" + filtered + " step " + step + " version " + v + " key " + id);
          }
        }
        if (step % 10 == 9) { // a rebuild from an earlier version's rows: that version's answers
          int v = step / 2;
          try (LiveTable rebuilt = table.compact(versions.get(v), allocator);
               ReferenceTable t = rebuilt.current()) {
            String[] found = probeAll(t, kind, 370);
            for (int id = 0; id < 370; id++) {
              assertEquals(expected(models.get(v), id, filtered), found[id],
                  kind + " filtered=" + filtered + " compacted version " + v + " key " + id);
            }
            assertEquals(models.get(v).size(), t.liveRowCount(), "compacted version " + v);
            assertEquals(models.get(v).size(), t.rowCount(), "compacted: no replaced row left");
            assertEquals(versions.get(v).filteredOutRows(), t.filteredOutRows());
          }
        }
        ReferenceTable now = versions.get(versions.size() - 1);
        assertEquals(model.size(), now.liveRowCount(), "step " + step);
        long hidden = model.values().stream()
            .filter(r -> filtered && r.name() != null && r.name().startsWith("hidden")).count();
        assertEquals(hidden, now.filteredOutRows(), "step " + step);
      }
    } finally {
      versions.forEach(ReferenceTable::close);
      table.close();
    }
  }

  private static String name(Random random) {
    int n = random.nextInt(8);
    if (n == 0) return null;
    return (n == 1 ? "hidden-" : "name-") + Long.toString(random.nextLong(), 36);
  }

  @Test
  void shouldRefuseAChangeThatGivesAKeyASecondRowAndLeaveTheTableAsItWas() {
    LiveTable table = LiveTable.build("enrich", schema(),
        new ArrayList<>(List.of(batch(List.of(new Row(1, "a", 1.0), new Row(2, "b", 2.0))))),
        new int[] {0}, OnDuplicate.LAST, null, 1024, allocator);
    try (VectorSchemaRoot none = batch(List.of());
         VectorSchemaRoot again = batch(List.of(new Row(2, "c", 3.0)));
         VectorSchemaRoot twice = batch(List.of(new Row(5, "x", 1.0), new Row(5, "y", 2.0)));
         VectorSchemaRoot notThere = batch(List.of(new Row(9, "z", 1.0)))) {
      assertFalse(table.apply(none, again), "key 2 is held by a row that is not removed");
      assertFalse(table.apply(none, twice), "key 5 twice in one step");
      assertFalse(table.apply(notThere, none), "key 9 was never in the table");
      try (ReferenceTable t = table.current()) {
        assertEquals("b|2.0", probe(t, "long", 2));
        assertEquals(null, probe(t, "long", 5));
        assertEquals(2, t.liveRowCount());
      }
    } finally {
      table.close();
    }
  }

  /**
   * A running job's progress asks a live table's size (from another thread) between its
   * changes: asking reads nothing a change writes. (Arrow's getFieldBuffers() fills a string
   * column's offsets up to its row count; called so, a later delete emptied the string keys of
   * every row added since and wrote the tombstone's key over the first one's.)
   */
  @Test
  void shouldKeepEveryStringKeyOfAddedRowsWhenItsSizeIsAskedBetweenChanges() {
    LiveTable table = LiveTable.build("enrich", schema(),
        new ArrayList<>(List.of(batch(List.of(new Row(1, "a", 1.0), new Row(2, "b", 2.0))))),
        keyColumns("string"), OnDuplicate.LAST, null, 1024, allocator);
    try (VectorSchemaRoot none = batch(List.of());
         VectorSchemaRoot added = batch(List.of(new Row(3, "c", 3.0), new Row(4, "d", 4.0)));
         VectorSchemaRoot removed = batch(List.of(new Row(1, "a", 1.0)))) {
      assertTrue(table.apply(none, added));
      long size;
      try (ReferenceTable t = table.current()) {
        size = t.sizeInBytes();
      }
      assertTrue(table.apply(removed, none), "key S1 deleted");
      try (ReferenceTable t = table.current()) {
        assertEquals(size, t.sizeInBytes(), "the columns were allocated with their room");
        String[] found = probeAll(t, "string", 5);
        assertEquals(Arrays.asList(null, null, "b|2.0", "c|3.0", "d|4.0"), Arrays.asList(found));
        assertEquals(3, t.liveRowCount());
      }
    } finally {
      table.close();
    }
  }

  @Test
  void shouldMakeTheDeltaIndexAtTheFirstKeyTheBaseIndexCannotTake() {
    // ids 1 and 2: a direct index over keys 0..2, room for 100,000 added rows
    LiveTable table = LiveTable.build("enrich", schema(),
        new ArrayList<>(List.of(batch(List.of(new Row(1, "a", 1.0), new Row(2, "b", 2.0))))),
        keyColumns("long"), OnDuplicate.LAST, null, 100_000, allocator);
    try (VectorSchemaRoot none = batch(List.of());
         VectorSchemaRoot oldB = batch(List.of(new Row(2, "b", 2.0)));
         VectorSchemaRoot newB = batch(List.of(new Row(2, "b2", 2.5)));
         VectorSchemaRoot outside = batch(List.of(new Row(9, "i", 9.0)))) {
      long built;
      try (ReferenceTable t = table.current()) {
        built = t.sizeInBytes();
      }
      assertTrue(table.apply(oldB, newB), "key 2 changed: the direct index repoints it");
      try (ReferenceTable v1 = table.current()) {
        assertEquals(built, v1.sizeInBytes(), "no delta index while the base index takes each key");
        assertTrue(table.apply(none, outside), "key 9, past the direct index's keys");
        try (ReferenceTable v2 = table.current()) {
          // the delta index, sized for the whole room at once: 16 bytes a slot at half load
          assertTrue(v2.sizeInBytes() >= built + 16L * 2 * 100_000,
              v2.sizeInBytes() + " bytes against " + built + " as built");
          assertEquals(Arrays.asList(null, "a|1.0", "b2|2.5", null, null, null, null, null, null,
              "i|9.0"), Arrays.asList(probeAll(v2, "long", 10)));
        }
        assertEquals(Arrays.asList(null, "a|1.0", "b2|2.5", null, null, null, null, null, null,
            null), Arrays.asList(probeAll(v1, "long", 10)), "the version before has no key 9");
      }
    } finally {
      table.close();
    }
  }

  @Test
  void shouldRefuseChangesToATableWhoseBaseHadDuplicateKeys() {
    LiveTable table = LiveTable.build("enrich", schema(),
        new ArrayList<>(List.of(batch(List.of(new Row(1, "a", 1.0), new Row(1, "b", 2.0))))),
        new int[] {0}, OnDuplicate.LAST, null, 1024, allocator);
    try (VectorSchemaRoot old = batch(List.of(new Row(1, "b", 2.0)));
         VectorSchemaRoot updated = batch(List.of(new Row(1, "c", 3.0)))) {
      assertFalse(table.apply(old, updated), "which of key 1's rows stays is on_duplicate's call");
    } finally {
      table.close();
    }
  }

  @Test
  void shouldRefuseAChangeOnceTheRoomIsUsedUp() {
    LiveTable table = LiveTable.build("enrich", schema(),
        new ArrayList<>(List.of(batch(List.of(new Row(1, "a", 1.0))))),
        new int[] {0}, OnDuplicate.LAST, null, 1, allocator);
    int room = table.room();
    int applied = 0;
    for (int i = 0; i < room + 5; i++) {
      try (VectorSchemaRoot none = batch(List.of());
           VectorSchemaRoot add = batch(List.of(new Row(100 + i, "n" + i, 1.0)))) {
        if (!table.apply(none, add)) break;
        applied++;
      }
    }
    assertTrue(applied <= room && applied > 0, applied + " applied, room " + room);
    try (ReferenceTable t = table.current()) {
      assertEquals(1 + applied, t.liveRowCount());
      assertEquals("n0|1.0", probe(t, "long", 100));
    } finally {
      table.close();
    }
  }

  /**
   * Probing threads read versions while the writer adds changes: each answer equals its version's
   * model (no torn row, no change seen early, no lock), for each index kind.
   */
  @ParameterizedTest
  @ValueSource(strings = {"long", "sparse", "string"})
  void shouldGiveEachConcurrentProberItsVersionsRowsWhileChangesAreAdded(String kind) throws Exception {
    idScale = kind.equals("sparse") ? 1_000_003L : 1;
    Map<Long, Row> model = new HashMap<>();
    List<Row> initial = new ArrayList<>();
    for (long id = 0; id < 2000; id++) {
      Row r = new Row(id, "v0-" + id, (double) id);
      initial.add(r);
      model.put(id, r);
    }
    LiveTable table = LiveTable.build("enrich", schema(), new ArrayList<>(List.of(batch(initial))),
        keyColumns(kind), OnDuplicate.LAST, null, 200_000, allocator);
    record Published(ReferenceTable table, Map<Long, Row> model) {}
    AtomicReference<Published> latest = new AtomicReference<>(new Published(table.current(), Map.copyOf(model)));
    List<ReferenceTable> all = new ArrayList<>(List.of(latest.get().table()));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    Thread prober = new Thread(() -> {
      Random random = new Random(3);
      try {
        while (!done.get()) {
          Published p = latest.get();
          for (int i = 0; i < 200; i++) {
            long id = random.nextInt(2100);
            String want = expected(p.model(), id, false);
            String got = probe(p.table(), kind, id);
            if (!Objects.equals(want, got)) throw new AssertionError("key " + id + ": " + got + ", not " + want);
          }
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    prober.start();
    Random random = new Random(5);
    try {
      for (int step = 1; step <= 400 && failure.get() == null; step++) {
        List<Row> removed = new ArrayList<>();
        Map<Long, Row> added = new TreeMap<>();
        for (int c = 0; c < 50; c++) {
          long id = random.nextInt(2100);
          if (added.containsKey(id) || removed.stream().anyMatch(r -> r.id() == id)) continue;
          Row old = model.get(id);
          if (old != null) removed.add(old);
          if (old == null || random.nextInt(5) != 0) added.put(id, new Row(id, "v" + step + "-" + id, (double) step));
        }
        try (VectorSchemaRoot r = batch(removed); VectorSchemaRoot a = batch(new ArrayList<>(added.values()))) {
          assertTrue(table.apply(r, a));
        }
        for (Row r : removed) model.remove(r.id());
        model.putAll(added);
        Published p = new Published(table.current(), Map.copyOf(model));
        all.add(p.table());
        latest.set(p);
      }
    } finally {
      done.set(true);
      prober.join();
      all.forEach(ReferenceTable::close);
      table.close();
    }
    if (failure.get() != null) throw new AssertionError(failure.get());
  }
}
