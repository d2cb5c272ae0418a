package io.sabot.rocksdb;

import static io.sabot.rocksdb.StoreFixture.read;
import static io.sabot.rocksdb.StoreFixture.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.reference.ReferenceStore;
import io.sabot.reference.ReferenceStoreBuilder;
import java.nio.file.Path;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live store's changes ({@link ReferenceStore#apply}, {@link ReferenceStore#reload}) and
 * views ({@link ReferenceStore#pin}): a view reads the store as it was when pinned, whatever is
 * written after; a change that would give a key a second row is refused, changing nothing.
 */
class LiveRocksDbStoreTest {
  @TempDir Path dir;

  private ReferenceStore load(RootAllocator allocator, Object... idName) {
    return StoreFixture.load(dir, allocator, null, idName);
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
