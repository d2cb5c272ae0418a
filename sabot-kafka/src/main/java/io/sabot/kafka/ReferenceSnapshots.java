package io.sabot.kafka;

import io.sabot.connect.BatchReader;
import io.sabot.connect.KeptSnapshot;
import io.sabot.connect.Threads;
import io.sabot.connect.text.ColumnValues;
import io.sabot.connect.text.RecordEncoder;
import io.sabot.error.SabotBug;
import io.sabot.reference.Columns;
import io.sabot.types.ColumnType;
import io.sabot.types.Schema;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * A live reference table kept on disk between runs (a join with {@code state_dir}): its live rows
 * and the changelog offsets they reflect, in {@code <state_dir>/<join>/changelog.snapshot}
 * ({@link ReferenceSnapshotFile}). At open, a snapshot that verifies is loaded and every partition
 * is read from its saved offset instead of from its beginning; one that does not is reported,
 * deleted, and the table is read from offset 0.
 *
 * <pre>
 *   open:  snapshot verifies? ─yes─► rows + keys from the file ─► seek(saved offsets) ─► catch up
 *                             └─no──► warning, delete ─► seekToBeginning ─► catch up (bootstrap)
 *          ─► write a snapshot (after a restore: only when the catch-up read over a tenth of
 *             what the snapshot skipped)
 *   poll:  every {@link #INTERVAL}: write one when the offsets moved since the last
 *   close: write one when the offsets moved (and the last catch-up finished)
 * </pre>
 *
 * Taken on the feed's thread (the rows are not thread-safe) without per-row work: slices of the
 * live rows (which hold the buffers they share: rows appended or compacted away meanwhile do not
 * change them) and copies of the slot arrays; written from those on a thread of its own, so the
 * stream waits for the copies, not for the file (one write at a time; close waits for it, then
 * writes the last one itself). A restore (the file verified, then parsed) rebuilds the slots and
 * the key index, sized once, from the slot columns read in bulk, without hashing a value again. Not for co-partitioned
 * feeds, whose partitions come and go.
 */
final class ReferenceSnapshots {
  /** How often a running feed writes a snapshot (when its offsets moved since the last one). */
  static final Duration INTERVAL = Duration.ofSeconds(60);

  private final Path dir;
  private final KafkaSourceConfig config;
  private final ReferenceSnapshotFile.Identity identity;
  private final KafkaConsumer<?, ?> consumer;
  private final List<TopicPartition> partitions;
  private final Duration timeout;
  private final ChangelogRows rows;
  private final KeyIndex keys;
  private final Schema stored;
  private final int keyIndex;
  private final ColumnType keyType;
  private final BufferAllocator allocator;
  private final RecordRejects rejects;

  /** The offsets of the snapshot last written or loaded; null: none. */
  private volatile long[] saved;
  /** The version of the rows last captured for a snapshot (written or being written); null: none. */
  private String kept;
  /** Told what a restore loads, once the file verified (null: nobody asked). */
  private Restoring restoring;
  /** The thread writing a snapshot (null: none yet). */
  private Thread writer;
  private long lastWriteMillis = System.currentTimeMillis();
  private volatile long lastSnapshotMillis = -1; // when the last snapshot (loaded or written) was made
  private volatile long fileBytes; // the size of that snapshot's file (0: none)
  private boolean restored;
  /** Why the restored rows were read into memory, not mapped from the file (null: mapped). */
  private String notMappedBecause;
  private long restoreMillis;
  private long readMillis; // reading and verifying the file (on its own thread when read ahead)
  private long readWaitMillis = -1; // of restoreMillis: the wait for a file read ahead (-1: not)
  private long indexMillis; // of restoreMillis: the rows and keys from the loaded batches
  private long restoredBatches; // record batches in the snapshot restored
  private long firstWriteMillis = -1; // the bootstrap's wait for its first snapshot (-1: none)
  private long captureMillis; // the feed's thread's part of the last write
  private long[] startOffsets;
  private long skipped;
  private volatile long written;
  private volatile long writeMillis;
  private String refused;
  private volatile String failed;

  /** Told what a restore loads, before the rows are indexed. */
  interface Restoring {
    /**
     * The version loaded and the verified batches (the stored columns, then the slot columns),
     * valid during the call only.
     */
    void restoring(String version, List<VectorSchemaRoot> batches) throws IOException;
  }

  /** Whom to tell what a restore loads, before it indexes the rows. */
  void tellRestoring(Restoring restoring) {
    this.restoring = restoring;
  }

  /** The identity this feed's snapshots have (and a snapshot must have to be loaded). */
  ReferenceSnapshotFile.Identity identity() {
    return identity;
  }

  ReferenceSnapshots(Path dir, KafkaSourceConfig config, int partitionCount, Schema declared,
                     KafkaConsumer<?, ?> consumer, Duration timeout, ChangelogRows rows,
                     KeyIndex keys, Schema stored, BufferAllocator allocator,
                     RecordRejects rejects) {
    this.dir = dir;
    this.config = config;
    this.identity = ReferenceSnapshotFile.Identity.of(config, partitionCount, declared, stored);
    this.consumer = consumer;
    this.partitions = IntStream.range(0, partitionCount)
        .mapToObj(p -> new TopicPartition(config.topic(), p)).collect(Collectors.toList());
    this.timeout = timeout;
    this.rows = rows;
    this.keys = keys;
    this.stored = stored;
    this.keyIndex = config.keyColumn() == null ? -1 : stored.indexOf(config.keyColumn());
    this.keyType = keyIndex < 0 ? null : stored.field(keyIndex).type();
    this.allocator = allocator;
    this.rejects = rejects;
  }

  // ------------------------------------------------------------------------------------ restore

  /**
   * Loads the snapshot into the (empty) rows and keys and seeks every partition to its saved
   * offset; false when there is none that verifies (then nothing was loaded nor sought).
   */
  boolean restore() throws IOException {
    return restore(null);
  }

  /**
   * As {@link #restore()}, with the file read by {@code ahead} (null: read here), which this
   * closes.
   */
  boolean restore(SnapshotReadAhead ahead) throws IOException {
    long t0 = System.nanoTime();
    // the partitions' offsets are asked for while the file is still being read and verified
    PartitionOffsets now = null;
    if (ahead != null && Files.exists(dir.resolve(ReferenceSnapshotFile.NAME))) {
      try {
        now = partitionOffsets();
      } catch (IOException | RuntimeException | Error e) {
        try {
          ahead.close();
        } catch (RuntimeException | Error closing) {
          e.addSuppressed(closing);
        }
        throw e;
      }
    }
    long waitFrom = System.nanoTime(); // snapshot_read_wait_millis: for the file alone
    ReferenceSnapshotFile.Loaded loaded;
    try (ahead) {
      if (ahead == null) {
        loaded = ReferenceSnapshotFile.read(dir, identity, allocator);
        readMillis = (System.nanoTime() - t0) / 1_000_000;
      } else {
        try {
          loaded = ahead.take();
        } finally {
          readMillis = ahead.readMillis();
          readWaitMillis = (System.nanoTime() - waitFrom) / 1_000_000;
        }
        String difference = loaded == null ? null : identity.difference(loaded.identity());
        if (difference != null) {
          loaded.close();
          throw new ReferenceSnapshotFile.Refused(ReferenceSnapshotFile.ofAnotherTable(difference));
        }
      }
    } catch (ReferenceSnapshotFile.Refused e) {
      refuse(e.getMessage());
      return false;
    } catch (IOException e) {
      refuse("it cannot be read (" + e + ")");
      return false;
    }
    if (loaded == null) return false;
    try (loaded) {
      if (now == null) now = partitionOffsets();
      Map<TopicPartition, Long> begin = now.begin();
      Map<TopicPartition, Long> end = now.end();
      long[] offsets = loaded.offsets();
      long skip = 0;
      for (TopicPartition tp : partitions) {
        long o = offsets[tp.partition()];
        long b = begin.get(tp);
        long e = end.get(tp);
        if (o < b || o > e) {
          refuse("its offset " + o + " of partition " + tp.partition() + " is outside the "
              + "partition's offsets [" + b + ", " + e + "] now (the topic was recreated, or "
              + "records were deleted)");
          return false;
        }
        skip += o - b;
      }
      if (restoring != null) restoring.restoring(versionOf(offsets), loaded.batches()); // before the slow part
      long t1 = System.nanoTime();
      restoredBatches = loaded.batches().size();
      load(loaded);
      indexMillis = (System.nanoTime() - t1) / 1_000_000;
      for (TopicPartition tp : partitions) consumer.seek(tp, offsets[tp.partition()]);
      saved = offsets.clone();
      startOffsets = offsets.clone();
      kept = versionOf(offsets);
      rows.markBaseline(); // the catch-up's changes are told against the rows restored
      skipped = skip;
      restored = true;
      notMappedBecause = loaded.notMappedBecause();
      lastSnapshotMillis = loaded.writtenAtMillis();
      fileBytes = fileSize();
      restoreMillis = (System.nanoTime() - t0) / 1_000_000;
      return true;
    }
  }

  /** Each partition's first and next offsets, as the broker tells them now. */
  private record PartitionOffsets(Map<TopicPartition, Long> begin, Map<TopicPartition, Long> end) {}

  private PartitionOffsets partitionOffsets() throws IOException {
    try {
      return new PartitionOffsets(consumer.beginningOffsets(partitions, timeout),
          consumer.endOffsets(partitions, timeout));
    } catch (TimeoutException e) {
      throw KafkaClients.unreachable(config.bootstrapServers(), timeout, e);
    }
  }

  /** Reported on stderr and in the stats; the file is deleted, so the next write replaces it. */
  private void refuse(String reason) {
    refused = reason;
    System.err.println("WARNING: operator=" + config.operator() + " reference snapshot "
        + dir.resolve(ReferenceSnapshotFile.NAME) + " is not used: " + reason
        + "; the table is rebuilt from offset 0 of topic=" + config.topic());
    try {
      ReferenceSnapshotFile.delete(dir);
    } catch (IOException e) {
      System.err.println("WARNING: cannot delete " + dir.resolve(ReferenceSnapshotFile.NAME)
          + " (" + e + "); the next snapshot replaces it");
    }
  }

  /**
   * The verified batches into the (empty) rows (stored columns) and their keys into the index:
   * the data columns are taken as they are (no copy); the slot columns (row counts, value hashes,
   * keys) are read in bulk into arrays, a batch at a time, and the keys go into the index in one
   * pass, no value hashed again.
   */
  void load(ReferenceSnapshotFile.Loaded loaded) {
    int n = stored.size();
    rows.reserve(loaded.slots());
    int[] counts = new int[0];
    long[] hashes = new long[0];
    long[] longs = new long[0];
    byte[] firstRows = new byte[0];
    byte[] longValid = new byte[0];
    boolean longColumn = keyIndex >= 0 && stored.field(keyIndex).type() == ColumnType.INT64;
    if (keyIndex < 0 || longColumn) reserveLongKeys(loaded, longColumn ? keyIndex : n + 3);
    for (VectorSchemaRoot b : loaded.batches()) {
      int count = b.getRowCount();
      if (counts.length < count) {
        counts = new int[count];
        hashes = new long[count];
        longs = new long[count];
        firstRows = new byte[(count + 7) / 8];
        longValid = new byte[(count + 7) / 8];
      }
      List<FieldVector> all = b.getFieldVectors();
      IntVector countColumn = (IntVector) all.get(n);
      Bulk.ints(countColumn.getDataBuffer(), counts, count);
      Bulk.longs(((BigIntVector) all.get(n + 1)).getDataBuffer(), hashes, count);
      Bulk.bytes(countColumn.getValidityBuffer(), firstRows, (count + 7) / 8);
      if (keyIndex < 0) {
        BigIntVector longKeys = (BigIntVector) all.get(n + 3);
        Bulk.longs(longKeys.getDataBuffer(), longs, count);
        Bulk.bytes(longKeys.getValidityBuffer(), longValid, (count + 7) / 8);
      } else if (longColumn) {
        Bulk.longs(((BigIntVector) all.get(keyIndex)).getDataBuffer(), longs, count);
      }
      List<FieldVector> data = new ArrayList<>(n);
      for (int c = 0; c < n; c++) {
        var t = all.get(c).getTransferPair(allocator);
        t.transfer();
        data.add((FieldVector) t.getTo());
      }
      VectorSchemaRoot batch = new VectorSchemaRoot(data);
      batch.setRowCount(count);
      long first = rows.rowsAppended();
      rows.addBatch(batch);
      if (longColumn) {
        indexLongKeys(first, count, firstRows, counts, hashes, longs);
      } else if (keyIndex < 0) {
        indexRecordKeys(first, count, firstRows, counts, hashes, longs, longValid,
            (VarBinaryVector) all.get(n + 2));
      } else {
        indexColumnKeys(first, count, firstRows, counts, hashes, data.get(keyIndex));
      }
    }
  }

  // The per-row loops of a restore, each a method of its own called once a batch: a fresh JVM
  // compiles a small method fully within a few batches, where the loop inside one large method
  // ran in its slower first-tier code for about a quarter second of a 10M-row restore (the
  // optimizing compiler's queue is long while a job starts).

  /**
   * Each record's first row in the batch into a slot, and its key, the int64 key column's value
   * ({@code longs}), into the index.
   */
  private void indexLongKeys(long first, int count, byte[] firstRows, int[] counts, long[] hashes,
                             long[] longs) {
    for (int r = 0; r < count; r++) {
      if ((firstRows[r >> 3] & (1 << (r & 7))) == 0) continue;
      int slot = rows.insert(first + r, counts[r], hashes[r]);
      requireNew(keys.putIfAbsent(longs[r], slot), slot);
    }
  }

  /** As above for record keys: a long where the snapshot kept one, else the key's bytes. */
  private void indexRecordKeys(long first, int count, byte[] firstRows, int[] counts,
                               long[] hashes, long[] longs, byte[] longValid,
                               VarBinaryVector recordKeys) {
    for (int r = 0; r < count; r++) {
      if ((firstRows[r >> 3] & (1 << (r & 7))) == 0) continue;
      int slot = rows.insert(first + r, counts[r], hashes[r]);
      requireNew((longValid[r >> 3] & (1 << (r & 7))) != 0 ? keys.putIfAbsent(longs[r], slot)
          : keys.putIfAbsent(recordKeys.getObject(r), slot), slot);
    }
  }

  /** As above for a key column that is not int64: its value as the index keeps it. */
  private void indexColumnKeys(long first, int count, byte[] firstRows, int[] counts,
                               long[] hashes, FieldVector keyColumn) {
    boolean asLong = keyType == ColumnType.INT32 || keyType == ColumnType.TIMESTAMP;
    for (int r = 0; r < count; r++) {
      if ((firstRows[r >> 3] & (1 << (r & 7))) == 0) continue;
      int slot = rows.insert(first + r, counts[r], hashes[r]);
      requireNew(asLong ? keys.putIfAbsent(ColumnValues.getLong(keyColumn, r), slot)
          : keys.putIfAbsent(RecordEncoder.keyText(keyColumn, keyType, r), slot), slot);
    }
  }

  /** {@code had}: what the index held for the key given {@code slot}, which must be nothing. */
  private void requireNew(int had, int slot) {
    if (had >= 0) {
      throw new SabotBug("the reference snapshot " + dir.resolve(ReferenceSnapshotFile.NAME)
          + " verified but holds a key twice (slots " + had + " and " + slot + ")");
    }
  }

  /** Sizes the key index for the long keys of the snapshot (column {@code column}) in one go. */
  private void reserveLongKeys(ReferenceSnapshotFile.Loaded loaded, int column) {
    long[] minMaxCount = {Long.MAX_VALUE, Long.MIN_VALUE, 0};
    long[] values = new long[0];
    byte[] valid = new byte[0];
    for (VectorSchemaRoot b : loaded.batches()) {
      int rowCount = b.getRowCount();
      if (values.length < rowCount) {
        values = new long[rowCount];
        valid = new byte[(rowCount + 7) / 8];
      }
      BigIntVector v = (BigIntVector) b.getVector(column);
      Bulk.longs(v.getDataBuffer(), values, rowCount);
      Bulk.bytes(v.getValidityBuffer(), valid, (rowCount + 7) / 8);
      addToRange(values, valid, rowCount, minMaxCount);
    }
    keys.reserveLongs(minMaxCount[0], minMaxCount[1], (int) minMaxCount[2]);
  }

  /** The valid values among the first {@code n} into {@code minMaxCount} (a loop of its own, as
   *  those of {@link #load}). */
  private static void addToRange(long[] values, byte[] valid, int n, long[] minMaxCount) {
    long min = minMaxCount[0];
    long max = minMaxCount[1];
    long count = minMaxCount[2];
    for (int r = 0; r < n; r++) {
      if ((valid[r >> 3] & (1 << (r & 7))) == 0) continue;
      min = Math.min(min, values[r]);
      max = Math.max(max, values[r]);
      count++;
    }
    minMaxCount[0] = min;
    minMaxCount[1] = max;
    minMaxCount[2] = count;
  }

  /** Bulk reads of Arrow buffers into arrays (little-endian, as Arrow lays them out). */
  private static final class Bulk {
    static void ints(ArrowBuf buf, int[] to, int n) {
      if (n > 0) buf.nioBuffer(0, n * 4).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(to, 0, n);
    }

    static void longs(ArrowBuf buf, long[] to, int n) {
      if (n > 0) buf.nioBuffer(0, n * 8).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(to, 0, n);
    }

    static void bytes(ArrowBuf buf, byte[] to, int n) {
      if (n > 0) buf.nioBuffer(0, n).get(to, 0, n);
    }
  }

  // -------------------------------------------------------------------------------------- write

  /**
   * Right after the bootstrap: a snapshot when it read the topic from its beginning, or when the
   * catch-up after a restore read more than a tenth of the records the snapshot saved reading
   * (a restart after a short stop writes its first one at the next interval, or at close).
   */
  void afterBootstrap() throws IOException {
    if (restored) {
      long read = 0;
      for (TopicPartition tp : partitions) {
        read += consumer.position(tp, timeout) - saved[tp.partition()];
      }
      if (read * 10 <= skipped) return;
    } else {
      startOffsets = new long[partitions.size()];
      try {
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
        for (TopicPartition tp : partitions) startOffsets[tp.partition()] = begin.get(tp);
      } catch (RuntimeException e) {
        startOffsets = null; // only for the stats: unknown
      }
    }
    long t0 = System.nanoTime();
    writeIfMoved(true);
    firstWriteMillis = (System.nanoTime() - t0) / 1_000_000;
  }

  /** In poll, after a finished catch-up: a snapshot every {@link #INTERVAL}, when needed. */
  void maybeWrite() throws IOException {
    if (System.currentTimeMillis() - lastWriteMillis < INTERVAL.toMillis()) return;
    writeIfMoved(true);
  }

  /**
   * At close: waits for a write in flight, then (when the last catch-up finished, else the rows
   * may not match the positions) writes one on this thread when the offsets moved.
   */
  void atClose(boolean caughtUp) throws IOException {
    awaitWrite();
    if (caughtUp) writeIfMoved(false);
  }

  /**
   * A snapshot of the rows as they are now, when the offsets moved since the last one: taken
   * here ({@link Capture}), written on a thread of its own ({@code inBackground}; none starts
   * while one is in flight) or on this one.
   */
  private void writeIfMoved(boolean inBackground) throws IOException {
    lastWriteMillis = System.currentTimeMillis();
    if (writer != null && writer.isAlive()) return; // the next interval, or close, writes
    long[] now = new long[partitions.size()];
    long t0 = System.nanoTime();
    Capture capture;
    try {
      for (TopicPartition tp : partitions) now[tp.partition()] = consumer.position(tp, timeout);
      if (Arrays.equals(now, saved)) return;
      rejects.flush(); // the records the snapshot skips on a restart have all gone where they go
      capture = capture(now);
      kept = versionOf(now);
    } catch (IOException | RuntimeException e) {
      failed(e);
      return;
    }
    captureMillis = (System.nanoTime() - t0) / 1_000_000;
    if (!inBackground) {
      finish(capture, t0);
      return;
    }
    start(capture, t0);
  }

  private void start(Capture capture, long t0) {
    writer = new Thread(() -> finish(capture, t0), "sabot-snapshot-" + config.operator());
    writer.setDaemon(true);
    writer.start();
  }

  /** Takes the rows as they are now and writes them on a thread of its own (tests). */
  void writeInBackground(long[] offsets) throws IOException {
    awaitWrite();
    start(capture(offsets), System.nanoTime());
  }

  /** Writes the capture (and closes it); on failure, reported: the table keeps running. */
  private void finish(Capture capture, long t0) {
    try (capture) {
      write(capture);
    } catch (IOException | RuntimeException e) {
      failed(e);
      return;
    }
    saved = capture.offsets();
    written++;
    lastSnapshotMillis = capture.takenAtMillis(); // its age: how old its rows are
    fileBytes = fileSize();
    writeMillis = (System.nanoTime() - t0) / 1_000_000;
  }

  private void failed(Exception e) {
    failed = e.toString();
    System.err.println("WARNING: operator=" + config.operator() + " cannot write the reference "
        + "snapshot " + dir.resolve(ReferenceSnapshotFile.NAME) + " (" + e + "); the table "
        + "keeps running, and a restart reads from the last snapshot written");
  }

  /** Waits for the write in flight, if any (a feed closing, or a test). */
  void awaitWrite() {
    Thread w = writer;
    if (w != null) Threads.joinUninterruptibly(w);
  }

  /**
   * What a write reads, taken on the feed's thread without per-row work: the live rows as slices
   * (which hold the buffers they share, so a compaction may close the batches meanwhile, and
   * rows appended later are not in them), copies of the slot arrays and the keys by slot.
   */
  private record Capture(long[] offsets, List<VectorSchemaRoot> slices, ChangelogRows.Slots slots,
                         long[] longKeys, byte[][] recordKeys, long takenAtMillis)
      implements AutoCloseable {
    @Override
    public void close() {
      for (VectorSchemaRoot b : slices) {
        if (b != null) b.close();
      }
    }
  }

  private Capture capture(long[] offsets) throws IOException {
    List<VectorSchemaRoot> slices = new ArrayList<>();
    try (BatchReader live = rows.liveRows(stored)) {
      VectorSchemaRoot b;
      while ((b = live.next()) != null) slices.add(b);
      ChangelogRows.Slots slots = rows.copySlots();
      byte[][] recordKeys = keyIndex < 0 ? new byte[slots.row().length][] : null;
      long[] longKeys = keyIndex < 0 ? new long[slots.row().length] : null;
      if (recordKeys != null) keys.keysBySlot(longKeys, recordKeys);
      return new Capture(offsets.clone(), slices, slots, longKeys, recordKeys,
          System.currentTimeMillis());
    } catch (IOException | RuntimeException | Error e) {
      slices.forEach(VectorSchemaRoot::close);
      throw e;
    }
  }

  /** Writes the rows as they are now, on this thread (tests). */
  void write(long[] offsets) throws IOException {
    try (Capture c = capture(offsets)) {
      write(c);
    }
  }

  /**
   * The captured live rows (in slot order), each with the slot columns: at a key's first row its
   * row count, value hash (and record key), null on its further rows. Any thread: reads only the
   * capture, whose slices it closes as it writes them.
   */
  private void write(Capture c) throws IOException {
    long[] slotRow = c.slots().row();
    int[] slotCount = c.slots().count();
    long[] slotHash = c.slots().hash();
    int slots = 0;
    long total = 0;
    for (int s = 0; s < slotRow.length; s++) {
      if (slotRow[s] >= 0 && slotCount[s] > 0) {
        slots++;
        total += slotCount[s];
      }
    }
    byte[][] recordKeys = c.recordKeys();
    long[] longKeys = c.longKeys();
    List<Field> fields = new ArrayList<>(stored.toArrow().getFields());
    fields.add(new Field(ReferenceSnapshotFile.SLOT_ROWS, FieldType.nullable(new ArrowType.Int(32, true)), null));
    fields.add(new Field("sabot_value_hash", FieldType.nullable(new ArrowType.Int(64, true)), null));
    if (recordKeys != null) {
      // a record key that is a long's text is kept as that long (as the key index keeps it)
      fields.add(new Field("sabot_record_key", FieldType.nullable(ArrowType.Binary.INSTANCE), null));
      fields.add(new Field("sabot_record_key_long", FieldType.nullable(new ArrowType.Int(64, true)), null));
    }
    int n = stored.size();
    List<VectorSchemaRoot> slices = c.slices();
    try (VectorSchemaRoot root = VectorSchemaRoot.create(
        new org.apache.arrow.vector.types.pojo.Schema(fields), allocator)) {
      int[] slot = {-1};
      int[] left = {0};
      int[] next = {0};
      ReferenceSnapshotFile.write(dir, identity, c.offsets(), slots, total, root, out -> {
        if (next[0] == slices.size()) return false;
        VectorSchemaRoot b = nextBatch(slices, next);
        try {
          int count = b.getRowCount();
          for (int col = 0; col < n; col++) b.getVector(col).makeTransferPair(out.getVector(col)).transfer();
          IntVector counts = (IntVector) out.getVector(n);
          BigIntVector hashes = (BigIntVector) out.getVector(n + 1);
          VarBinaryVector keyBytes = recordKeys == null ? null : (VarBinaryVector) out.getVector(n + 2);
          BigIntVector keyLongs = recordKeys == null ? null : (BigIntVector) out.getVector(n + 3);
          counts.allocateNew(count);
          hashes.allocateNew(count);
          if (keyBytes != null) {
            keyBytes.allocateNew(count);
            keyLongs.allocateNew(count);
          }
          for (int r = 0; r < count; r++) {
            if (left[0] == 0) {
              do {
                slot[0]++;
              } while (slotRow[slot[0]] < 0 || slotCount[slot[0]] == 0);
              left[0] = slotCount[slot[0]];
              counts.set(r, left[0]);
              hashes.set(r, slotHash[slot[0]]);
              if (keyBytes != null) {
                byte[] k = recordKeys[slot[0]];
                if (k != null) {
                  keyBytes.setSafe(r, k);
                  keyLongs.setNull(r);
                } else {
                  keyBytes.setNull(r);
                  keyLongs.set(r, longKeys[slot[0]]);
                }
              }
            } else {
              counts.setNull(r);
              hashes.setNull(r);
              if (keyBytes != null) {
                keyBytes.setNull(r);
                keyLongs.setNull(r);
              }
            }
            left[0]--;
          }
          counts.setValueCount(count);
          hashes.setValueCount(count);
          if (keyBytes != null) {
            keyBytes.setValueCount(count);
            keyLongs.setValueCount(count);
          }
          out.setRowCount(count);
          return true;
        } finally {
          b.close();
        }
      });
    }
  }

  /**
   * The next batch to write: slice {@code next[0]}, or, when it is shorter than a batch of the
   * rows' size, it and the slices after it up to that size, copied into one. After updates the
   * live rows are runs between the rows the updates replaced: a 10M-row table's snapshot after
   * 5,000 updates held 8,399 record batches when only runs under a sixteenth of a batch were
   * joined. A restore pays for each record batch (its metadata, vectors and buffers, and the
   * first touch of its mapped pages: about 150 us a batch here, 1.2-1.5 s for those), while
   * copying runs into full batches on the writer's thread costs a copy of the rows, which the
   * write reads anyway; and a restore of thousands of short batches would be compacted, row by
   * row, at its first snapshot. Slices of a full batch or longer are written as they are (no
   * copy). The slices taken are closed (and set to null).
   */
  private VectorSchemaRoot nextBatch(List<VectorSchemaRoot> slices, int[] next) {
    int target = rows.batchSize();
    int end = next[0] + 1;
    long taken = slices.get(next[0]).getRowCount();
    if (taken < target) {
      while (end < slices.size() && taken + slices.get(end).getRowCount() <= target) {
        taken += slices.get(end++).getRowCount();
      }
    }
    List<VectorSchemaRoot> group = new ArrayList<>(slices.subList(next[0], end));
    for (int i = next[0]; i < end; i++) slices.set(i, null);
    next[0] = end;
    if (group.size() == 1) return group.get(0);
    try {
      return Columns.concatenate(group, stored, 0, allocator);
    } finally {
      group.forEach(VectorSchemaRoot::close);
    }
  }

  // -------------------------------------------------------------------------------------- stats

  /**
   * Appends the snapshot counters (after the feed's own); taken for the job's summary, at its
   * end, so it first waits for a write in flight (the summary counts it).
   */
  void stats(Map<String, Object> out) {
    awaitWrite();
    out.put("restored_from_snapshot", restored);
    out.put("restore_millis", restoreMillis);
    out.put("snapshot_read_millis", readMillis);
    if (readWaitMillis >= 0) out.put("snapshot_read_wait_millis", readWaitMillis);
    if (restored) out.put("snapshot_mapped", notMappedBecause == null);
    if (restored) out.put("snapshot_batches_restored", restoredBatches);
    if (restored && notMappedBecause != null) out.put("snapshot_not_mapped_because", notMappedBecause);
    out.put("snapshot_index_millis", indexMillis);
    out.put("snapshot_first_write_millis", firstWriteMillis);
    out.put("start_offsets", text(startOffsets));
    out.put("snapshot_records_skipped", skipped);
    out.put("snapshot_age_seconds", ageSeconds());
    out.put("snapshot_bytes", fileBytes);
    out.put("snapshots_written", written);
    out.put("snapshot_write_millis", writeMillis);
    out.put("snapshot_capture_millis", captureMillis);
    if (refused != null) out.put("snapshot_refused", refused);
    if (failed != null) out.put("snapshot_failed", failed);
  }

  /**
   * The snapshot on disk as it stands now, for a running job's progress: any thread, no wait for
   * a write in flight.
   */
  KeptSnapshot status() {
    return new KeptSnapshot(ageSeconds(), fileBytes, restored ? restoreMillis : -1);
  }

  /** The size of the snapshot file on disk now (just loaded or written); 0: none. */
  private long fileSize() {
    try {
      return Files.size(dir.resolve(ReferenceSnapshotFile.NAME));
    } catch (IOException e) { // none written yet, or one refused and deleted
      return 0;
    }
  }

  /** Seconds since the snapshot last loaded or written was made; -1: none. */
  private long ageSeconds() {
    long made = lastSnapshotMillis;
    return made < 0 ? -1 : Math.max(0, (System.currentTimeMillis() - made) / 1000);
  }

  // ----------------------------------------------------------------------------------- versions

  /**
   * The version of the rows at {@code offsets}: the feed's identity (topic, partitions, format,
   * key, columns) and the offsets. Equal versions are equal rows: the rows at an offset are the
   * latest value of each key among the records before it, whatever the topic's compaction did.
   */
  String versionOf(long[] offsets) {
    return identity.topic() + " partitions=" + identity.partitions() + " format="
        + identity.format() + " key=" + identity.keyColumn() + " columns={" + identity.stored()
        + "} offsets=" + text(offsets);
  }

  /** The version restored at open (the snapshot's), or null when none was. */
  String restoredVersion() {
    return restored ? versionOf(startOffsets) : null;
  }

  /** The version of the rows last captured for a snapshot, or restored; null: none. */
  String keptVersion() {
    return kept;
  }

  /** The version of the snapshot last written or restored (its file durable); null: none. */
  String savedVersion() {
    long[] s = saved;
    return s == null ? null : versionOf(s);
  }

  /** {@code 0:120,1:98}: partition:offset. */
  private static String text(long[] offsets) {
    if (offsets == null) return "";
    StringBuilder sb = new StringBuilder();
    for (int p = 0; p < offsets.length; p++) {
      if (p > 0) sb.append(',');
      sb.append(p).append(':').append(offsets[p]);
    }
    return sb.toString();
  }
}
