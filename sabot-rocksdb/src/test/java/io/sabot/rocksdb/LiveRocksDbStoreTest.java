package io.sabot.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.graph.OnDuplicate;
import io.sabot.reference.ReferenceStore;
import io.sabot.reference.ReferenceStoreBuilder;
import io.sabot.reference.ReferenceTable;
import io.sabot.reference.StoreRequest;
import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live store's changes ({@link ReferenceStore#apply}, {@link ReferenceStore#reload}) and
 * views ({@link ReferenceStore#pin}): a view reads the store as it was when pinned, whatever is
 * written after; a change that would give a key a second row is refused, changing nothing.
 */
class LiveRocksDbStoreTest {
  private static final Schema SCHEMA = Schema.of(new Field("ID", ColumnType.INT64),
      new Field("NAME", ColumnType.STRING));

  @TempDir Path dir;

  private static VectorSchemaRoot rows(RootAllocator allocator, Object... idName) {
    VectorSchemaRoot b = SCHEMA.newBatch(allocator);
    b.allocateNew();
    int n = idName.length / 2;
    for (int i = 0; i < n; i++) {
      ((BigIntVector) b.getVector(0)).setSafe(i, (Long) idName[2 * i]);
      ((VarCharVector) b.getVector(1)).setSafe(i,
          ((String) idName[2 * i + 1]).getBytes(StandardCharsets.UTF_8));
    }
    b.setRowCount(n);
    return b;
  }

  /** ID -> NAME of the keys 0..9 as {@code view} (null: now) has them. */
  private static Map<Long, String> read(ReferenceStore store, ReferenceStore.View view,
                                        RootAllocator allocator) {
    Map<Long, String> out = new TreeMap<>();
    try (VectorSchemaRoot probe = SCHEMA.newBatch(allocator)) {
      probe.allocateNew();
      BigIntVector ids = (BigIntVector) probe.getVector(0);
      int[] rows = new int[10];
      for (int i = 0; i < 10; i++) {
        ids.setSafe(i, i);
        rows[i] = i;
      }
      probe.setRowCount(10);
      try (ReferenceTable t = store.newReader().lookup(view, new FieldVector[] {ids}, rows, 10,
          allocator)) {
        for (int r = 0; r < t.rowCount(); r++) {
          out.put((Long) t.column(0).getObject(r), t.column(1).getObject(r).toString());
        }
      }
    }
    return out;
  }

  private ReferenceStore load(RootAllocator allocator, Object... idName) {
    try (ReferenceStoreBuilder b = new RocksDbStoreProvider().builder(new StoreRequest("j", SCHEMA,
             new int[] {0}, OnDuplicate.LAST, 16L << 20, dir));
         VectorSchemaRoot batch = rows(allocator, idName)) {
      b.add(batch, null);
      return b.finish();
    }
  }

  @Test
  void shouldLetAViewReadTheStoreAsItWasWhenPinned() {
    try (RootAllocator allocator = new RootAllocator();
         ReferenceStore store = load(allocator, 1L, "A", 2L, "B", 3L, "C")) {
      ReferenceStore.View before = store.pin();
      try (VectorSchemaRoot removed = rows(allocator, 2L, "B", 3L, "C");
           VectorSchemaRoot added = rows(allocator, 2L, "B2", 4L, "D")) {
        assertTrue(store.apply(removed, null, added, null));
      }
      try (ReferenceStore.View after = store.pin()) {
        assertEquals(Map.of(1L, "A", 2L, "B", 3L, "C"), read(store, before, allocator));
        assertEquals(Map.of(1L, "A", 2L, "B2", 4L, "D"), read(store, after, allocator));
        assertEquals(3, store.keyCount());
      } finally {
        before.close();
      }
      before.close(); // a second close is harmless
    }
  }

  @Test
  void shouldRefuseAKeyASecondRowAndReloadInstead() {
    try (RootAllocator allocator = new RootAllocator();
         ReferenceStore store = load(allocator, 1L, "A", 2L, "B")) {
      // another changelog key's row with join key 1, which still holds A: on_duplicate decides
      try (VectorSchemaRoot removed = rows(allocator);
           VectorSchemaRoot added = rows(allocator, 1L, "X")) {
        assertFalse(store.apply(removed, null, added, null));
      }
      // a key twice among the added rows
      try (VectorSchemaRoot removed = rows(allocator);
           VectorSchemaRoot added = rows(allocator, 5L, "E", 5L, "E2")) {
        assertFalse(store.apply(removed, null, added, null));
      }
      assertEquals(Map.of(1L, "A", 2L, "B"), read(store, null, allocator), "nothing written");

      try (ReferenceStore.View old = store.pin()) {
        try (ReferenceStoreBuilder reload = store.reload();
             VectorSchemaRoot all = rows(allocator, 1L, "A", 2L, "B", 1L, "X")) {
          reload.add(all, null);
          assertEquals(store, reload.finish());
        }
        assertEquals(Map.of(1L, "X", 2L, "B"), read(store, null, allocator), "last wins");
        assertEquals(Map.of(1L, "A", 2L, "B"), read(store, old, allocator));
        assertEquals(1, store.replacedDuplicates());
      }
      // loaded with a duplicate: changes are refused until a reload without one
      try (VectorSchemaRoot removed = rows(allocator, 2L, "B");
           VectorSchemaRoot added = rows(allocator, 2L, "B2")) {
        assertFalse(store.apply(removed, null, added, null));
      }
    }
  }
}
