package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.connect.BatchReader;
import io.sabot.connect.text.RecordDecoder;
import io.sabot.graph.OnError;
import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot file of a live reference table: written and loaded back, the rows, keys and value
 * hashes are those written (against a map of the values); a file with a byte changed, cut short,
 * of another version or of another table is refused, saying why.
 */
class ReferenceSnapshotsTest {
  private static final Schema COLUMNS = new Schema(List.of(new Field("id", ColumnType.INT64),
      new Field("name", ColumnType.STRING)));

  private static KafkaSourceConfig config(String topic, String keyColumn) {
    return new KafkaSourceConfig("securities", topic, "localhost:1", RecordFormat.JSONL, COLUMNS,
        null, "earliest", true, Map.of(), null, keyColumn, OnError.FAIL, false);
  }

  /** A feed's rows and keys, without Kafka, keyed by the record key. */
  private static final class Table implements AutoCloseable {
    final KeyIndex keys = new KeyIndex();
    final ChangelogRows rows;
    final ReferenceSnapshots snapshots;

    Table(RootAllocator allocator, Path dir, KafkaSourceConfig config) {
      rows = new ChangelogRows(COLUMNS, allocator, 1000, RecordDecoder.jsonl(COLUMNS));
      snapshots = new ReferenceSnapshots(dir, config, 3, COLUMNS, null, null, rows, keys, COLUMNS,
          allocator, null);
    }

    /** False when the value was the key's value already. */
    boolean upsert(String key, String value) throws Exception {
      byte[] b = value.getBytes(StandardCharsets.UTF_8);
      long first = rows.rowsAppended();
      assertNull(rows.decode(b, 0, b.length));
      long hash = ChangelogRows.hash(b, 0, b.length);
      int slot = keys.putIfAbsent(key.getBytes(StandardCharsets.UTF_8), rows.nextSlot());
      if (slot < 0) {
        rows.insert(first, 1, hash);
        return true;
      }
      return rows.replace(slot, first, 1, hash);
    }

    /** A record of several rows (as an arrow record may hold): a new key's, or the key's new value. */
    void upsertRows(String key, String... values) throws Exception {
      long first = rows.rowsAppended();
      StringBuilder all = new StringBuilder();
      for (String value : values) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        assertNull(rows.decode(b, 0, b.length));
        all.append(value);
      }
      byte[] b = all.toString().getBytes(StandardCharsets.UTF_8);
      long hash = ChangelogRows.hash(b, 0, b.length);
      int slot = keys.putIfAbsent(key.getBytes(StandardCharsets.UTF_8), rows.nextSlot());
      if (slot < 0) {
        rows.insert(first, values.length, hash);
      } else {
        rows.replace(slot, first, values.length, hash);
      }
    }

    void delete(String key) {
      int slot = keys.remove(key.getBytes(StandardCharsets.UTF_8));
      if (slot >= 0) rows.delete(slot);
    }

    /** The name column of {@code key}'s row, or null when the key has none. */
    String name(String key) {
      int slot = keys.get(key.getBytes(StandardCharsets.UTF_8));
      if (slot < 0 || rows.slotRow(slot) < 0) return null;
      var v = rows.vector(rows.slotRow(slot), 1);
      return v.getObject(rows.rowInVector()).toString();
    }

    /** Every live row as "id name", in slot order. */
    List<String> live() throws Exception {
      List<String> out = new ArrayList<>();
      try (BatchReader r = rows.snapshot(COLUMNS, keys::renumber)) {
        VectorSchemaRoot b;
        while ((b = r.next()) != null) {
          for (int i = 0; i < b.getRowCount(); i++) {
            out.add(b.getVector(0).getObject(i) + " " + b.getVector(1).getObject(i));
          }
          b.close();
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
    return "{\"id\":" + id + ",\"name\":\"" + name + "\"}";
  }

  /** Keys as record keys: canonical longs, and texts that are not ("007", "k12"). */
  private static String key(int i) {
    return i % 3 == 0 ? Integer.toString(i) : i % 3 == 1 ? "00" + i : "k" + i;
  }

  private static Map<String, String> fill(Table t, Random random, int ops, int keyCount)
      throws Exception {
    Map<String, String> model = new LinkedHashMap<>();
    for (int i = 0; i < ops; i++) {
      int k = random.nextInt(keyCount);
      if (random.nextInt(8) == 0) {
        t.delete(key(k));
        model.remove(key(k));
      } else {
        String name = "n" + k + "-" + random.nextInt(3);
        t.upsert(key(k), value(k, name));
        model.put(key(k), name);
      }
    }
    return model;
  }

  @Test
  void shouldLoadTheRowsKeysAndValueHashesItWrote(@TempDir Path dir) throws Exception {
    try (RootAllocator allocator = new RootAllocator()) {
      Map<String, String> model;
      List<String> rowsWritten;
      try (Table t = new Table(allocator, dir, config("topic-a", null))) {
        model = fill(t, new Random(1), 20_000, 5_000);
        t.snapshots.write(new long[] {10, 20, 30});
        rowsWritten = t.live();
      }
      try (Table back = new Table(allocator, dir, config("topic-a", null))) {
        try (ReferenceSnapshotFile.Loaded l = ReferenceSnapshotFile.read(dir,
            back.snapshots.identity(), allocator)) {
          assertArrayEquals(new long[] {10, 20, 30}, l.offsets());
          assertEquals(model.size(), l.slots());
          back.snapshots.load(l);
        }
        assertEquals(model.size(), back.rows.liveKeys());
        assertEquals(rowsWritten, back.live());
        for (int k = 0; k < 5_000; k++) assertEquals(model.get(key(k)), back.name(key(k)), key(k));
        // the value hashes came back: the same value again is no change, another one is
        String some = model.keySet().iterator().next();
        long id = Long.parseLong(some.replace("k", ""));
        assertFalse(back.upsert(some, value(id, model.get(some))));
        assertTrue(back.upsert(some, value(id, "other")));
        back.delete(some);
        assertNull(back.name(some));
      }
    }
  }

  /**
   * The rows a restore hands to its listener (slices of the verified batches, taken before the
   * feed loads them) are the rows a snapshot taken right after the restore gives, in its order:
   * records of one row and of several, keys replaced and deleted before the write. The table a
   * join builds from them is then the one it would build from the feed.
   */
  @Test
  void shouldHandTheRestoredRowsInTheOrderASnapshotAfterTheRestoreGives(@TempDir Path dir)
      throws Exception {
    try (RootAllocator allocator = new RootAllocator()) {
      try (Table t = new Table(allocator, dir, config("topic-a", null))) {
        Random random = new Random(3);
        fill(t, random, 6_000, 2_000);
        for (int k = 0; k < 2_000; k += 7) {
          t.upsertRows(key(k), value(k, "a" + k), value(k, "b" + k), value(k, "c" + k));
        }
        fill(t, random, 3_000, 2_000); // some of those records replaced or deleted again
        t.snapshots.write(new long[] {1, 2, 3});
      }
      try (Table back = new Table(allocator, dir, config("topic-a", null))) {
        List<String> handed = new ArrayList<>();
        try (ReferenceSnapshotFile.Loaded l = ReferenceSnapshotFile.read(dir,
            back.snapshots.identity(), allocator)) {
          try (BatchReader r = back.rows.slicesOf(l.batches(), COLUMNS)) {
            back.snapshots.load(l); // as a restore does after telling its listener
            for (VectorSchemaRoot b = r.next(); b != null; b = r.next()) {
              for (int i = 0; i < b.getRowCount(); i++) {
                handed.add(b.getVector(0).getObject(i) + " " + b.getVector(1).getObject(i));
              }
              b.close();
            }
          }
        }
        List<String> snapshot = back.live();
        assertTrue(snapshot.size() > back.rows.liveKeys(), "records of several rows are in it");
        assertEquals(snapshot, handed);
      }
      assertEquals(0, allocator.getAllocatedMemory(), "the slices were closed with the rows");
    }
  }

  /**
   * A restart reads the file ahead, before the consumer knows the topic's partitions: the file
   * read ahead is the file read here; its identity is checked by whoever takes it; one nobody
   * takes is closed with the read-ahead, leaving no memory behind.
   */
  @Test
  void shouldReadTheFileAheadAsItReadsItAndCloseItWhenNotTaken(@TempDir Path dir) throws Exception {
    try (RootAllocator allocator = new RootAllocator()) {
      try (Table t = new Table(allocator, dir, config("topic-a", null))) {
        fill(t, new Random(3), 2_000, 500);
        t.snapshots.write(new long[] {1, 2, 3});
      }
      try (Table back = new Table(allocator, dir, config("topic-a", null));
           SnapshotReadAhead ahead = SnapshotReadAhead.start(dir, allocator)) {
        try (ReferenceSnapshotFile.Loaded direct = ReferenceSnapshotFile.read(dir,
                 back.snapshots.identity(), allocator);
             ReferenceSnapshotFile.Loaded taken = ahead.take()) {
          assertEquals(direct.identity(), taken.identity());
          assertArrayEquals(direct.offsets(), taken.offsets());
          assertEquals(direct.rows(), taken.rows());
          assertNull(back.snapshots.identity().difference(taken.identity()));
        }
        assertThrows(IllegalStateException.class, ahead::take);
      }
      try (Table other = new Table(allocator, dir, config("topic-b", null));
           SnapshotReadAhead ahead = SnapshotReadAhead.start(dir, allocator)) {
        // the caller checks the identity: the file is of topic-a
        try (ReferenceSnapshotFile.Loaded taken = ahead.take()) {
          assertEquals("topic=topic-a (this job reads topic-b)",
              other.snapshots.identity().difference(taken.identity()));
        }
      }
      SnapshotReadAhead.start(dir, allocator).close(); // not taken: closed with it
      assertEquals(0, allocator.getAllocatedMemory());
      try (SnapshotReadAhead none = SnapshotReadAhead.start(dir.resolve("nothing"), allocator)) {
        assertNull(none.take());
      }
    }
  }

  /**
   * Every 7th key updated after the rows were laid out in slot order: the live rows are thousands
   * of runs of at most 6 rows. They are written as batches of the rows' size (1,000 here), not a
   * record batch per run, so the restored rows are not scattered over thousands of batches and
   * the first snapshot after the restore needs no compaction (it would copy every row).
   */
  @Test
  void shouldWriteShortRunsAsFullBatchesSoTheRestoredRowsNeedNoCompaction(@TempDir Path dir)
      throws Exception {
    writeAndRestoreWithEveryNthKeyUpdated(dir, 7, 20_000 / 1000 + 2);
  }

  /**
   * Every 300th key updated: the live rows are runs of 299 rows, longer than a sixteenth of a
   * batch but shorter than a batch (1,000 rows here). They are joined into full batches too: a
   * restore pays for every record batch it maps, and these would be 67 short ones.
   */
  @Test
  void shouldJoinRunsShorterThanABatchIntoFullBatches(@TempDir Path dir) throws Exception {
    // 299-row runs joined three to a batch (897 rows): 23 batches
    writeAndRestoreWithEveryNthKeyUpdated(dir, 300, 20_000 / 897 + 2);
  }

  /**
   * 20,000 keys laid out in slot order, every {@code nth} then updated, written and restored:
   * at most {@code maxBatches} record batches, the rows written, each key's latest value, and no
   * compaction at the restored rows' first snapshot.
   */
  private static void writeAndRestoreWithEveryNthKeyUpdated(Path dir, int nth, int maxBatches)
      throws Exception {
    int keys = 20_000;
    try (RootAllocator allocator = new RootAllocator()) {
      List<String> rowsWritten;
      try (Table t = new Table(allocator, dir, config("topic-a", null))) {
        for (int k = 0; k < keys; k++) t.upsert(key(k), value(k, "n" + k));
        t.live(); // sealed and laid out in slot order
        for (int k = 0; k < keys; k += nth) t.upsert(key(k), value(k, "u" + k));
        try (BatchReader r = t.rows.liveRows(COLUMNS)) {
          rowsWritten = lines(r);
        }
        t.snapshots.write(new long[] {1, 2, 3});
      }
      try (Table back = new Table(allocator, dir, config("topic-a", null))) {
        try (ReferenceSnapshotFile.Loaded l = ReferenceSnapshotFile.read(dir,
            back.snapshots.identity(), allocator)) {
          assertTrue(l.batches().size() <= maxBatches,
              l.batches().size() + " record batches for " + keys + " rows");
          back.snapshots.load(l);
        }
        boolean[] compacted = {false};
        try (BatchReader r = back.rows.snapshot(COLUMNS, newSlots -> compacted[0] = true)) {
          assertEquals(rowsWritten, lines(r));
        }
        assertFalse(compacted[0], "the restored rows were compacted at their first snapshot");
        for (int k = 0; k < keys; k++) {
          assertEquals(k % nth == 0 ? "u" + k : "n" + k, back.name(key(k)), key(k));
        }
      }
    }
  }

  /**
   * The restored rows are views of the file's pages (mapped, not read): mapped 64 KB at a time
   * they are the rows written, and they stay readable after the file is replaced by the next
   * snapshot (a rename) and after the loaded file is closed; the allocator closing with nothing
   * left shows every mapping was released.
   */
  @Test
  void shouldRestoreRowsMappedFromTheFileThatOutliveItsReplacement(@TempDir Path dir)
      throws Exception {
    try (RootAllocator allocator = new RootAllocator()) {
      Map<String, String> model;
      List<String> rowsWritten;
      try (Table t = new Table(allocator, dir, config("topic-a", null))) {
        model = fill(t, new Random(9), 30_000, 8_000);
        rowsWritten = t.live();
        t.snapshots.write(new long[] {4, 5, 6});
      }
      try (Table back = new Table(allocator, dir, config("topic-a", null))) {
        try (ReferenceSnapshotFile.Loaded l = ReferenceSnapshotFile.read(dir,
            back.snapshots.identity(), allocator, 64 << 10)) {
          assertTrue(l.mapped(), "read, not mapped");
          assertTrue(l.batches().size() > 3, l.batches().size() + " batches");
          back.snapshots.load(l);
        }
        back.snapshots.write(new long[] {7, 8, 9}); // renamed over the file mapped
        for (int k = 0; k < 8_000; k++) assertEquals(model.get(key(k)), back.name(key(k)), key(k));
        assertEquals(rowsWritten, back.live());
      }
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }

  /** Every row of {@code r} as "id name", each batch closed. */
  private static List<String> lines(BatchReader r) throws Exception {
    List<String> out = new ArrayList<>();
    for (VectorSchemaRoot next = r.next(); next != null; next = r.next()) {
      try (VectorSchemaRoot b = next) {
        for (int i = 0; i < b.getRowCount(); i++) {
          out.add(b.getVector(0).getObject(i) + " " + b.getVector(1).getObject(i));
        }
      }
    }
    return out;
  }

  @Test
  void shouldWriteTheRowsAsTheyWereWhenTakenWhileTheFeedKeepsChangingThem(@TempDir Path dir)
      throws Exception {
    try (RootAllocator allocator = new RootAllocator()) {
      Map<String, String> model;
      List<String> rowsTaken;
      try (Table t = new Table(allocator, dir, config("topic-a", null))) {
        model = fill(t, new Random(4), 20_000, 5_000);
        rowsTaken = t.live();
        t.snapshots.writeInBackground(new long[] {7, 8, 9});
        // meanwhile the feed goes on: updates, deletes, new keys, and a compaction (live())
        fill(t, new Random(5), 20_000, 6_000);
        t.live();
        t.snapshots.awaitWrite();
      }
      try (Table back = new Table(allocator, dir, config("topic-a", null))) {
        try (ReferenceSnapshotFile.Loaded l = ReferenceSnapshotFile.read(dir,
            back.snapshots.identity(), allocator)) {
          assertArrayEquals(new long[] {7, 8, 9}, l.offsets());
          back.snapshots.load(l);
        }
        assertEquals(rowsTaken, back.live());
        for (int k = 0; k < 6_000; k++) assertEquals(model.get(key(k)), back.name(key(k)), key(k));
      }
    }
  }

  @Test
  void shouldLoadATableKeyedByAnIntegerColumn(@TempDir Path dir) throws Exception {
    try (RootAllocator allocator = new RootAllocator()) {
      Map<Long, String> model = new LinkedHashMap<>();
      List<String> rowsWritten;
      Random random = new Random(6);
      try (Table t = new Table(allocator, dir, config("topic-a", "id"))) {
        for (int i = 0; i < 10_000; i++) {
          long id = random.nextInt(3_000) * (random.nextBoolean() ? 1 : -1_000_003L);
          String name = "n" + id + "-" + random.nextInt(3);
          byte[] b = value(id, name).getBytes(StandardCharsets.UTF_8);
          long first = t.rows.rowsAppended();
          assertNull(t.rows.decode(b, 0, b.length));
          long hash = ChangelogRows.hash(b, 0, b.length);
          int slot = t.keys.putIfAbsent(id, t.rows.nextSlot());
          if (slot < 0) {
            t.rows.insert(first, 1, hash);
          } else {
            t.rows.replace(slot, first, 1, hash);
          }
          model.put(id, name);
        }
        t.snapshots.write(new long[] {1, 1, 1});
        rowsWritten = t.live();
      }
      try (Table back = new Table(allocator, dir, config("topic-a", "id"))) {
        try (ReferenceSnapshotFile.Loaded l = ReferenceSnapshotFile.read(dir,
            back.snapshots.identity(), allocator)) {
          back.snapshots.load(l);
        }
        assertEquals(rowsWritten, back.live());
        assertEquals(model.size(), back.keys.size());
        for (var e : model.entrySet()) {
          int slot = back.keys.get(e.getKey());
          var v = back.rows.vector(back.rows.slotRow(slot), 1);
          assertEquals(e.getValue(), v.getObject(back.rows.rowInVector()).toString());
        }
      }
    }
  }

  @Test
  void shouldLoadAnEmptyTable(@TempDir Path dir) throws Exception {
    try (RootAllocator allocator = new RootAllocator();
         Table t = new Table(allocator, dir, config("topic-a", null))) {
      t.snapshots.write(new long[] {0, 0, 0});
      try (ReferenceSnapshotFile.Loaded l = ReferenceSnapshotFile.read(dir, t.snapshots.identity(), allocator)) {
        assertEquals(0, l.slots());
        assertEquals(0, l.rows());
      }
    }
  }

  private static Path written(RootAllocator allocator, Path dir) throws Exception {
    try (Table t = new Table(allocator, dir, config("topic-a", null))) {
      fill(t, new Random(2), 3_000, 1_000);
      t.snapshots.write(new long[] {1, 2, 3});
    }
    return dir.resolve(ReferenceSnapshotFile.NAME);
  }

  private static String refused(RootAllocator allocator, Path dir, KafkaSourceConfig config) {
    try (Table t = new Table(allocator, dir, config)) {
      return assertThrows(ReferenceSnapshotFile.Refused.class,
          () -> ReferenceSnapshotFile.read(dir, t.snapshots.identity(), allocator)).getMessage();
    }
  }

  @Test
  void shouldRefuseAFileWithAByteChangedOrCutShort(@TempDir Path dir) throws Exception {
    try (RootAllocator allocator = new RootAllocator()) {
      Path file = written(allocator, dir);
      byte[] good = Files.readAllBytes(file);
      Random random = new Random(3);
      for (int i = 0; i < 20; i++) {
        byte[] bad = good.clone();
        bad[random.nextInt(bad.length)] ^= (byte) (1 + random.nextInt(255));
        Files.write(file, bad);
        assertEquals("checksum mismatch (the file is truncated or corrupted)",
            refused(allocator, dir, config("topic-a", null)));
      }
      for (int length : new int[] {0, 5, 19, good.length / 2, good.length - 1}) {
        Files.write(file, Arrays.copyOf(good, length));
        String why = refused(allocator, dir, config("topic-a", null));
        assertTrue(why.startsWith("truncated") || why.startsWith("checksum mismatch"), why);
      }
      Files.write(file, good);
      try (Table t = new Table(allocator, dir, config("topic-a", null));
           ReferenceSnapshotFile.Loaded l = ReferenceSnapshotFile.read(dir, t.snapshots.identity(), allocator)) {
        assertArrayEquals(new long[] {1, 2, 3}, l.offsets());
      }
    }
  }

  @Test
  void shouldRefuseAnotherFormatVersion(@TempDir Path dir) throws Exception {
    try (RootAllocator allocator = new RootAllocator()) {
      Path file = written(allocator, dir);
      byte[] b = Files.readAllBytes(file);
      ByteBuffer.wrap(b).putInt(8, ReferenceSnapshotFile.VERSION + 1);
      CRC32 crc = new CRC32();
      crc.update(b, 0, b.length - 8);
      ByteBuffer.wrap(b).putLong(b.length - 8, crc.getValue());
      Files.write(file, b);
      assertEquals("format version 2 (this Sabot reads version 1)",
          refused(allocator, dir, config("topic-a", null)));
    }
  }

  @Test
  void shouldRefuseASnapshotOfAnotherTable(@TempDir Path dir) throws Exception {
    try (RootAllocator allocator = new RootAllocator()) {
      written(allocator, dir);
      assertEquals("it is of another table: topic=topic-a (this job reads topic-b)",
          refused(allocator, dir, config("topic-b", null)));
      assertEquals("it is of another table: key=the record key (this job keys by id)",
          refused(allocator, dir, config("topic-a", "id")));
      ReferenceSnapshotFile.Identity id = new Table(allocator, dir, config("topic-a", null))
          .snapshots.identity();
      ReferenceSnapshotFile.Identity other = new ReferenceSnapshotFile.Identity(id.topic(), 4,
          "csv", id.keyColumn(), "id:int64", id.stored());
      String why = assertThrows(ReferenceSnapshotFile.Refused.class,
          () -> ReferenceSnapshotFile.read(dir, other, allocator)).getMessage();
      assertEquals("it is of another table: partitions=3 (the topic has 4 now), format=jsonl "
          + "(this job reads csv), schema={id:int64, name:string} (this job declares {id:int64})", why);
    }
  }

  /** Not a benchmark: how long a million rows take to write and load here, printed. */
  @Test
  void shouldWriteAndLoadAMillionRows(@TempDir Path dir) throws Exception {
    try (RootAllocator allocator = new RootAllocator()) {
      long writeMillis;
      try (Table t = new Table(allocator, dir, config("topic-a", null))) {
        for (int i = 0; i < 1_000_000; i++) t.upsert(Integer.toString(i), value(i, "security-" + i));
        long t0 = System.nanoTime();
        t.snapshots.write(new long[] {1_000_000, 0, 0});
        writeMillis = (System.nanoTime() - t0) / 1_000_000;
      }
      try (Table back = new Table(allocator, dir, config("topic-a", null))) {
        long t0 = System.nanoTime();
        try (ReferenceSnapshotFile.Loaded l = ReferenceSnapshotFile.read(dir,
            back.snapshots.identity(), allocator)) {
          back.snapshots.load(l);
        }
        long loadMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(1_000_000, back.rows.liveKeys());
        assertEquals("security-999999", back.name("999999"));
        System.out.printf("1M rows: snapshot of %,d bytes written in %,d ms, loaded in %,d ms%n",
            Files.size(dir.resolve(ReferenceSnapshotFile.NAME)), writeMillis, loadMillis);
      }
    }
  }
}
