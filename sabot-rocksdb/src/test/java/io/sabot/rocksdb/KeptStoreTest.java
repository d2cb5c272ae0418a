package io.sabot.rocksdb;

import static io.sabot.rocksdb.StoreFixture.load;
import static io.sabot.rocksdb.StoreFixture.read;
import static io.sabot.rocksdb.StoreFixture.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.graph.OnDuplicate;
import io.sabot.reference.ReferenceStore;
import io.sabot.reference.StoreRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live store kept for a later run ({@link ReferenceStore#keep}) and opened again
 * ({@link RocksDbStoreProvider#openKept}), on a real RocksDB and real files: the reopened store
 * has the kept rows and counts (changes not flushed yet included), the kept folder stays as
 * kept whatever the reopened store does, and a kept store of another version or definition, or
 * damaged, is refused with the reason, leaving nothing behind.
 */
class KeptStoreTest {
  private static final String DEFINITION = "join j: reference topic securities, key ID, NAME";

  @TempDir Path dir;

  /** The folder of the first run's stores. */
  private Path state() {
    return dir.resolve("state");
  }

  /** The folder of the later run's stores (its working copies). */
  private Path laterState() {
    return dir.resolve("later");
  }

  private Path kept() {
    return dir.resolve("j").resolve("rocksdb.kept");
  }

  private ReferenceStore openKept(String version) throws IOException {
    return openKept(version, DEFINITION, OnDuplicate.LAST);
  }

  private ReferenceStore openKept(String version, String definition, OnDuplicate onDuplicate)
      throws IOException {
    StoreRequest request = StoreFixture.request(laterState(), onDuplicate);
    return new RocksDbStoreProvider().openKept(request, kept(), version, definition);
  }

  /** IDs {@code from..to} (exclusive), each named {@code prefix} + ID. */
  private static Object[] named(long from, long to, String prefix) {
    Object[] out = new Object[(int) (to - from) * 2];
    for (long id = from; id < to; id++) {
      out[(int) (id - from) * 2] = id;
      out[(int) (id - from) * 2 + 1] = prefix + id;
    }
    return out;
  }

  private static void change(ReferenceStore store, RootAllocator allocator, Object[] removed,
                             Object[] added) {
    try (VectorSchemaRoot r = rows(allocator, removed);
         VectorSchemaRoot a = rows(allocator, added)) {
      assertTrue(store.apply(r, null, a, null), "applied in place");
    }
  }

  /** The working copies (and stores) left in {@code stateDir}. */
  private static List<String> storeFolders(Path stateDir) throws IOException {
    if (!Files.exists(stateDir)) return List.of();
    try (Stream<Path> files = Files.list(stateDir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("sabot-rocksdb-"))
          .collect(Collectors.toList());
    }
  }

  /** File name -> CRC32 of its bytes, for every file in {@code folder}. */
  private static Map<String, Long> contents(Path folder) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        CRC32 crc = new CRC32();
        crc.update(Files.readAllBytes(f));
        out.put(f.getFileName().toString(), crc.getValue());
      }
    }
    return out;
  }

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void shouldReopenAKeptStoreWithItsCountsAndRowsIncludingChangesNotFlushedYet()
      throws IOException {
    Object[] table = Arrays.copyOf(named(0, 1000, "v0-"), 2002);
    table[2000] = null; // a row with a null key: counted, never stored
    table[2001] = "no key";
    boolean[] visible = new boolean[1001];
    for (int i = 0; i < visible.length; i++) visible[i] = i % 10 != 3; // the reference filter
    try (RootAllocator allocator = new RootAllocator();
         ReferenceStore store = load(state(), allocator, visible, table)) {
      change(store, allocator, new Object[] {5L, "v0-5"}, new Object[] {5L, "v1-5", 2000L, "new"});
      assertTrue(((RocksDbReferenceStore) store).handle()
          .property("rocksdb.num-entries-active-mem-table") > 0, "the changes are not flushed yet");

      store.keep(kept(), "v7", DEFINITION);

      Map<Long, String> expected = read(store, null, allocator, 0, 2100);
      assertEquals("v1-5", expected.get(5L));
      assertEquals("new", expected.get(2000L));
      assertFalse(expected.containsKey(3L), "hidden by the reference filter");
      assertFalse(expected.containsKey(1500L), "absent");
      assertEquals(901, expected.size());
      try (ReferenceStore reopened = openKept("v7")) {
        assertEquals(1002, reopened.rowCount());
        assertEquals(1001, reopened.keyCount());
        assertEquals(1, reopened.nullKeyRows());
        assertEquals(100, reopened.filteredOutRows());
        assertEquals(0, reopened.replacedDuplicates());
        assertEquals(store.rowCount(), reopened.rowCount());
        assertEquals(store.keyCount(), reopened.keyCount());
        assertEquals(expected, read(reopened, null, allocator, 0, 2100));
        assertEquals(1, storeFolders(laterState()).size(), "the working copy is in state_dir");

        // it takes changes as the store it was kept from did
        change(reopened, allocator, new Object[] {6L, "v0-6"}, new Object[] {6L, "v1-6"});
        assertEquals(Map.of(6L, "v1-6"), read(reopened, null, allocator, 6, 7));
        assertEquals(1002, reopened.rowCount());
      }
      assertEquals(List.of(), storeFolders(laterState()), "the working copy is removed at close");
    }
  }

  @Test
  void shouldKeepWhileOtherThreadsLookUpAndViewsPinnedBeforeReadWhatTheySaw() throws Exception {
    try (RootAllocator allocator = new RootAllocator();
         ReferenceStore store = load(state(), allocator, null, named(0, 5000, "v0-"))) {
      Map<Long, String> loaded = read(store, null, allocator, 0, 5000);
      ReferenceStore.View before = store.pin();
      change(store, allocator, new Object[] {5L, "v0-5"}, new Object[] {5L, "v1-5"});
      Map<Long, String> now = read(store, null, allocator, 0, 5000);

      AtomicBoolean done = new AtomicBoolean();
      AtomicInteger reads = new AtomicInteger();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread reader = new Thread(() -> {
        try {
          while (!done.get() || reads.get() == 0) {
            try (ReferenceStore.View v = store.pin()) {
              if (!now.equals(read(store, v, allocator, 0, 5000))) {
                throw new AssertionError("a lookup during keep read other rows");
              }
            }
            reads.incrementAndGet();
          }
        } catch (Throwable t) {
          failure.set(t);
        }
      });
      reader.start();
      for (int i = 0; i < 5; i++) store.keep(kept(), "v" + i, DEFINITION);
      done.set(true);
      reader.join();
      assertNull(failure.get());
      assertTrue(reads.get() > 0);

      assertEquals(loaded, read(store, before, allocator, 0, 5000), "pinned before the change");
      before.close();
      try (ReferenceStore reopened = openKept("v4")) {
        assertEquals(now, read(reopened, null, allocator, 0, 5000));
      }
    }
  }

  @Test
  void shouldNeverChangeTheKeptFolderWhateverTheReopenedStoreDoes() throws Exception {
    try (RootAllocator allocator = new RootAllocator()) {
      Map<Long, String> expected;
      try (ReferenceStore store = load(state(), allocator, null, named(0, 3000, "v0-"))) {
        change(store, allocator, new Object[] {7L, "v0-7"}, new Object[] {7L, "v1-7"});
        store.keep(kept(), "v1", DEFINITION);
        expected = read(store, null, allocator, 0, 3000);
      }
      Map<String, Long> keptFiles = contents(kept());
      try (ReferenceStore reopened = openKept("v1")) {
        change(reopened, allocator, new Object[] {5L, "v0-5", 6L, "v0-6"},
            new Object[] {5L, "changed", 9000L, "added"});
        // rewrites the table into new files and deletes those it shares with the kept folder
        ((RocksDbReferenceStore) reopened).handle().db.compactRange();
        assertEquals(Map.of(5L, "changed"), read(reopened, null, allocator, 5, 7));
      }
      assertEquals(keptFiles, contents(kept()), "every kept file as it was");
      try (ReferenceStore again = openKept("v1")) {
        assertEquals(expected, read(again, null, allocator, 0, 3000));
        assertEquals(Map.of(), read(again, null, allocator, 9000, 9001));
        assertEquals(3000, again.keyCount());
      }
    }
  }

  @Test
  void shouldReplaceTheKeptStoreAtTheNextKeepAndLeaveNoOtherFolder() throws IOException {
    // what a crash during an earlier keep, and one between its moves, would have left
    Files.createDirectories(dir.resolve("j").resolve("rocksdb.kept.tmp"));
    Files.writeString(dir.resolve("j").resolve("rocksdb.kept.tmp").resolve("000001.sst"), "torn");
    Files.createDirectories(dir.resolve("j").resolve("rocksdb.kept.old"));
    Files.writeString(dir.resolve("j").resolve("rocksdb.kept.old").resolve("CURRENT"), "old");
    try (RootAllocator allocator = new RootAllocator();
         ReferenceStore store = load(state(), allocator, null, named(0, 100, "v0-"))) {
      store.keep(kept(), "v1", DEFINITION);
      change(store, allocator, new Object[] {1L, "v0-1", 2L, "v0-2"},
          new Object[] {1L, "v2-1", 200L, "v2-200"});
      store.keep(kept(), "v2", DEFINITION);

      try (ReferenceStore reopened = openKept("v2")) {
        assertEquals(read(store, null, allocator, 0, 300), read(reopened, null, allocator, 0, 300));
        assertEquals("v2-1", read(reopened, null, allocator, 1, 2).get(1L));
        assertEquals(100, reopened.keyCount());
      }
      IOException e = assertThrows(IOException.class, () -> openKept("v1"));
      assertTrue(e.getMessage().contains("holds version v2, and version v1 was asked for"),
          e.getMessage());
      assertEquals(List.of("rocksdb.kept"), names(dir.resolve("j")));
    }
  }

  @Test
  void shouldKeepAReopenedStoreInTheFolderItWasOpenedFrom() throws IOException {
    try (RootAllocator allocator = new RootAllocator()) {
      try (ReferenceStore store = load(state(), allocator, null, named(0, 1000, "v0-"))) {
        store.keep(kept(), "v1", DEFINITION);
      }
      Map<Long, String> expected;
      try (ReferenceStore reopened = openKept("v1")) {
        change(reopened, allocator, new Object[] {1L, "v0-1"}, new Object[] {1L, "v2-1"});
        // its working copy shares files with the folder this replaces
        reopened.keep(kept(), "v2", DEFINITION);
        change(reopened, allocator, new Object[] {2L, "v0-2"}, new Object[] {2L, "v3-2"});
        expected = read(reopened, null, allocator, 0, 1000);
      }
      try (ReferenceStore again = openKept("v2")) {
        Map<Long, String> v2 = read(again, null, allocator, 0, 1000);
        assertEquals("v2-1", v2.get(1L));
        assertEquals("v0-2", v2.get(2L), "kept before the second change");
        v2.put(2L, "v3-2");
        assertEquals(expected, v2);
      }
      assertEquals(List.of("rocksdb.kept"), names(dir.resolve("j")));
      assertEquals(List.of(), storeFolders(laterState()));
    }
  }

  @Test
  void shouldRefuseAnotherVersionOrDefinitionAndGiveNullWithoutAKeptStore() throws IOException {
    assertNull(openKept("v1"), "no folder");
    Files.createDirectories(kept().getParent());
    Files.writeString(kept(), "not a folder");
    assertNull(openKept("v1"), "not a folder");
    Files.delete(kept());

    String longDefinition = "a".repeat(300) + "X" + "b".repeat(300);
    try (RootAllocator allocator = new RootAllocator();
         ReferenceStore store = load(state(), allocator, null, named(0, 10, "v0-"))) {
      store.keep(kept(), "v1", DEFINITION);
      IOException e = assertThrows(IOException.class, () -> openKept("v2"));
      assertTrue(e.getMessage().startsWith("the store kept in " + kept() + " cannot be used: it "
          + "holds version v1, and version v2 was asked for"), e.getMessage());

      e = assertThrows(IOException.class,
          () -> openKept("v1", "join j: NAME only", OnDuplicate.LAST));
      assertTrue(e.getMessage().contains("it was made by another table definition (its definition "
          + "differs: kept '" + DEFINITION + "', this run's 'join j: NAME only')"), e.getMessage());

      e = assertThrows(IOException.class, () -> openKept("v1", DEFINITION, OnDuplicate.FIRST));
      assertTrue(e.getMessage().contains("another table definition (its on_duplicate differs: "
          + "kept 'last', this run's 'first')"), e.getMessage());

      store.keep(kept(), "v1", longDefinition);
      String other = longDefinition.replace('X', 'Y');
      e = assertThrows(IOException.class, () -> openKept("v1", other, OnDuplicate.LAST));
      assertTrue(e.getMessage().contains("its definition differs: from character 301, kept '..."
          + "a".repeat(30) + "X" + "b".repeat(49) + "...' (601 characters), this run's '..."),
          e.getMessage());
      assertTrue(e.getMessage().length() < 500, "shortened: " + e.getMessage());

      try (ReferenceStore reopened = openKept("v1", longDefinition, OnDuplicate.LAST)) {
        assertEquals(10, reopened.keyCount());
      }
      String lines = "join j:\n  key: ID \\ NAME=x\r\n";
      store.keep(kept(), "v1", lines);
      try (ReferenceStore reopened = openKept("v1", lines, OnDuplicate.LAST)) {
        assertEquals(10, reopened.keyCount(), "a definition of several lines, as it was");
      }
    }
    assertEquals(List.of(), storeFolders(laterState()));
  }

  @Test
  void shouldRefuseAKeptStoreWhoseTableFileIsDamagedAndLeaveNoWorkingCopy() throws IOException {
    try (RootAllocator allocator = new RootAllocator()) {
      try (ReferenceStore store = load(state(), allocator, null,
          named(0, 20_000, "a security with a name long enough to fill blocks "))) {
        store.keep(kept(), "v1", DEFINITION);
      }
      Path largest;
      try (Stream<Path> files = Files.list(kept())) {
        largest = files.filter(p -> p.toString().endsWith(".sst"))
            .max((x, y) -> Long.compare(x.toFile().length(), y.toFile().length())).orElseThrow();
      }
      assertTrue(Files.size(largest) > 100_000, largest + ": " + Files.size(largest) + " bytes");
      try (FileChannel ch = FileChannel.open(largest, StandardOpenOption.READ,
          StandardOpenOption.WRITE)) {
        long middle = ch.size() / 2;
        ByteBuffer b = ByteBuffer.allocate(64);
        ch.read(b, middle);
        for (int i = 0; i < b.limit(); i++) b.put(i, (byte) ~b.get(i));
        ch.write(b.flip(), middle);
      }

      IOException e = assertThrows(IOException.class, () -> openKept("v1"));
      assertTrue(e.getMessage().startsWith("the store kept in " + kept() + " cannot be used: "
          + "its files do not open or do not verify their checksums (RocksDB: "), e.getMessage());
      assertTrue(e.getMessage().contains("Corruption: block checksum mismatch"), e.getMessage());
      assertTrue(e.getMessage().contains(" in " + largest + " offset "), "names the kept file: "
          + e.getMessage());
      assertEquals(List.of(), storeFolders(laterState()), "the working copy is removed");
      assertTrue(Files.exists(largest), "the kept folder is left as it is");
    }
  }

  @Test
  void shouldRefuseAKeptStoreWhoseMetadataIsEditedOrMissing() throws IOException {
    try (RootAllocator allocator = new RootAllocator();
         ReferenceStore store = load(state(), allocator, null, named(0, 10, "v0-"))) {
      store.keep(kept(), "v1", DEFINITION);
    }
    Path metadata = kept().resolve(KeptMetadata.FILE);
    String text = Files.readString(metadata);
    assertTrue(text.contains("\nrows=10\n"), text);
    Files.writeString(metadata, text.replace("\nrows=10\n", "\nrows=11\n"));
    IOException e = assertThrows(IOException.class, () -> openKept("v1"));
    assertTrue(e.getMessage().startsWith("the store kept in " + kept() + " cannot be used: its "
        + "metadata (sabot-kept.properties) does not verify: its checksum is "), e.getMessage());

    Files.delete(metadata);
    e = assertThrows(IOException.class, () -> openKept("v1"));
    assertTrue(e.getMessage().contains("its metadata (sabot-kept.properties) does not verify: it "
        + "cannot be read"), e.getMessage());
    assertEquals(List.of(), storeFolders(laterState()));
  }

  @Test
  void shouldKeepAStoreThatOutlivesTheOriginalAndItsFolder() throws IOException {
    try (RootAllocator allocator = new RootAllocator()) {
      Map<Long, String> expected;
      ReferenceStore store = load(state(), allocator, null, named(0, 500, "v0-"));
      try {
        change(store, allocator, new Object[] {1L, "v0-1"}, new Object[] {1L, "v1-1"});
        store.keep(kept(), "v1", DEFINITION);
        expected = read(store, null, allocator, 0, 500);
      } finally {
        store.close();
      }
      assertEquals(List.of(), storeFolders(state()), "the original's folder is removed");
      IOException e = assertThrows(IOException.class, () -> store.keep(kept(), "v2", DEFINITION));
      assertTrue(e.getMessage().contains("the store is closed already"), e.getMessage());

      try (ReferenceStore reopened = openKept("v1")) {
        assertEquals(expected, read(reopened, null, allocator, 0, 500));
        assertEquals("v1-1", expected.get(1L));
        assertEquals(500, reopened.rowCount());
      }
    }
  }

  @Test
  void shouldNotKeepAStoreLoadedWithDuplicateKeysWhichNoChangeCanBeAppliedTo() throws IOException {
    try (RootAllocator allocator = new RootAllocator();
         ReferenceStore store = load(state(), allocator, null, 1L, "A", 2L, "B", 1L, "X");
         VectorSchemaRoot removed = rows(allocator, 2L, "B");
         VectorSchemaRoot added = rows(allocator, 2L, "B2")) {
      assertFalse(store.apply(removed, null, added, null), "loaded with a duplicate: reload");
      IOException e = assertThrows(IOException.class, () -> store.keep(kept(), "v1", DEFINITION));
      assertEquals("the store of j is not kept: 1 keys had several rows when it was loaded "
          + "(on_duplicate decided), and only a load resolves them again", e.getMessage());
      assertNull(openKept("v1"), "nothing kept");
    }
  }

  @Test
  void shouldFailToKeepWithTheOperatorAndFolderAndLeaveTheStoreUsable() throws IOException {
    // a folder name the file system takes, whose ".tmp" sibling's it does not (over 255 bytes)
    Path tooLong = dir.resolve("j").resolve("k".repeat(253));
    try (RootAllocator allocator = new RootAllocator();
         ReferenceStore store = load(state(), allocator, null, named(0, 10, "v0-"))) {
      IOException e = assertThrows(IOException.class, () -> store.keep(tooLong, "v1", DEFINITION));
      assertTrue(e.getMessage().startsWith("cannot keep the RocksDB store of j in " + tooLong
          + " ("), e.getMessage());
      assertEquals(List.of(), names(dir.resolve("j")), "nothing left");

      change(store, allocator, new Object[] {1L, "v0-1"}, new Object[] {1L, "v1-1"});
      assertEquals("v1-1", read(store, null, allocator).get(1L));
      store.keep(kept(), "v1", DEFINITION);
      try (ReferenceStore reopened = openKept("v1")) {
        assertEquals(read(store, null, allocator), read(reopened, null, allocator));
      }
    }
  }
}
