package io.sabot.kafka;

import io.sabot.connect.BatchReader;
import io.sabot.connect.text.ColumnValues;
import io.sabot.connect.text.RecordEncoder;
import io.sabot.error.SabotBug;
import io.sabot.types.ColumnType;
import io.sabot.types.Schema;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
 * Written on the feed's thread (the rows are not thread-safe), as slices of the live rows, so a
 * write costs about the time to copy the table's bytes to a file once. Not for co-partitioned
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
  private long[] saved;
  private long lastWriteMillis = System.currentTimeMillis();
  private long lastSnapshotMillis = -1; // when the last snapshot (loaded or written) was made
  private boolean restored;
  private long restoreMillis;
  private long readMillis; // of restoreMillis: reading and verifying the file
  private long indexMillis; // of restoreMillis: the rows and keys from the loaded batches
  private long firstWriteMillis = -1; // the write right after the bootstrap (-1: none)
  private long[] startOffsets;
  private long skipped;
  private long written;
  private long writeMillis;
  private String refused;
  private String failed;

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
    long t0 = System.nanoTime();
    ReferenceSnapshotFile.Loaded loaded;
    try {
      loaded = ReferenceSnapshotFile.read(dir, identity, allocator);
      readMillis = (System.nanoTime() - t0) / 1_000_000;
    } catch (ReferenceSnapshotFile.Refused e) {
      refuse(e.getMessage());
      return false;
    } catch (IOException e) {
      refuse("it cannot be read (" + e + ")");
      return false;
    }
    if (loaded == null) return false;
    try (loaded) {
      Map<TopicPartition, Long> begin;
      Map<TopicPartition, Long> end;
      try {
        begin = consumer.beginningOffsets(partitions, timeout);
        end = consumer.endOffsets(partitions, timeout);
      } catch (TimeoutException e) {
        throw KafkaClients.unreachable(config.bootstrapServers(), timeout, e);
      }
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
      long t1 = System.nanoTime();
      load(loaded);
      indexMillis = (System.nanoTime() - t1) / 1_000_000;
      for (TopicPartition tp : partitions) consumer.seek(tp, offsets[tp.partition()]);
      saved = offsets.clone();
      startOffsets = offsets.clone();
      skipped = skip;
      restored = true;
      lastSnapshotMillis = loaded.writtenAtMillis();
      restoreMillis = (System.nanoTime() - t0) / 1_000_000;
      return true;
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

  /** The verified batches into the (empty) rows (stored columns) and their keys into the index. */
  void load(ReferenceSnapshotFile.Loaded loaded) {
    int n = stored.size();
    rows.expect(loaded.slots());
    for (VectorSchemaRoot b : loaded.batches()) {
      List<FieldVector> all = b.getFieldVectors();
      IntVector counts = (IntVector) all.get(n);
      BigIntVector hashes = (BigIntVector) all.get(n + 1);
      VarBinaryVector recordKeys = keyIndex < 0 ? (VarBinaryVector) all.get(n + 2) : null;
      BigIntVector longKeys = keyIndex < 0 ? (BigIntVector) all.get(n + 3) : null;
      List<FieldVector> data = new ArrayList<>(n);
      for (int c = 0; c < n; c++) {
        var t = all.get(c).getTransferPair(allocator);
        t.transfer();
        data.add((FieldVector) t.getTo());
      }
      VectorSchemaRoot batch = new VectorSchemaRoot(data);
      batch.setRowCount(b.getRowCount());
      long first = rows.rowsAppended();
      rows.addBatch(batch);
      for (int r = 0; r < b.getRowCount(); r++) {
        if (counts.isNull(r)) continue;
        int slot = rows.insert(first + r, counts.get(r), hashes.get(r));
        int had;
        if (longKeys != null && !longKeys.isNull(r)) {
          had = keys.putIfAbsent(longKeys.get(r), slot);
        } else if (recordKeys != null) {
          had = keys.putIfAbsent(recordKeys.getObject(r), slot);
        } else if (keyType == ColumnType.INT32 || keyType == ColumnType.INT64
            || keyType == ColumnType.TIMESTAMP) {
          had = keys.putIfAbsent(ColumnValues.getLong(data.get(keyIndex), r), slot);
        } else {
          had = keys.putIfAbsent(RecordEncoder.keyText(data.get(keyIndex), keyType, r), slot);
        }
        if (had >= 0) {
          throw new SabotBug("the reference snapshot " + dir.resolve(ReferenceSnapshotFile.NAME)
              + " verified but holds a key twice (slots " + had + " and " + slot + ")");
        }
      }
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
    writeIfMoved();
    firstWriteMillis = (System.nanoTime() - t0) / 1_000_000;
  }

  /** In poll, after a finished catch-up: a snapshot every {@link #INTERVAL}, when needed. */
  void maybeWrite() throws IOException {
    if (System.currentTimeMillis() - lastWriteMillis < INTERVAL.toMillis()) return;
    writeIfMoved();
  }

  /** At close, when the last catch-up finished (else the rows may not match the positions). */
  void atClose() throws IOException {
    writeIfMoved();
  }

  private void writeIfMoved() throws IOException {
    lastWriteMillis = System.currentTimeMillis();
    long[] now = new long[partitions.size()];
    long t0 = System.nanoTime();
    try {
      for (TopicPartition tp : partitions) now[tp.partition()] = consumer.position(tp, timeout);
      if (Arrays.equals(now, saved)) return;
      rejects.flush(); // the records the snapshot skips on a restart have all gone where they go
      write(now);
    } catch (IOException | RuntimeException e) {
      failed = e.toString();
      System.err.println("WARNING: operator=" + config.operator() + " cannot write the reference "
          + "snapshot " + dir.resolve(ReferenceSnapshotFile.NAME) + " (" + e + "); the table "
          + "keeps running, and a restart reads from the last snapshot written");
      return;
    }
    saved = now;
    written++;
    lastSnapshotMillis = System.currentTimeMillis();
    writeMillis = (System.nanoTime() - t0) / 1_000_000;
  }

  /**
   * The live rows as slices (in slot order), each with the slot columns: at a key's first row
   * its row count, value hash (and record key), null on its further rows.
   */
  void write(long[] offsets) throws IOException {
    try (BatchReader live = rows.liveRows(stored)) {
      int slots = 0;
      long total = 0;
      for (int s = 0; s < rows.slots(); s++) {
        if (isLive(s)) {
          slots++;
          total += rows.slotRows(s);
        }
      }
      byte[][] recordKeys = keyIndex < 0 ? new byte[rows.slots()][] : null;
      long[] longKeys = keyIndex < 0 ? new long[rows.slots()] : null;
      if (recordKeys != null) keys.keysBySlot(longKeys, recordKeys);
      List<Field> fields = new ArrayList<>(stored.toArrow().getFields());
      fields.add(new Field(ReferenceSnapshotFile.SLOT_ROWS, FieldType.nullable(new ArrowType.Int(32, true)), null));
      fields.add(new Field("sabot_value_hash", FieldType.nullable(new ArrowType.Int(64, true)), null));
      if (recordKeys != null) {
        // a record key that is a long's text is kept as that long (as the key index keeps it)
        fields.add(new Field("sabot_record_key", FieldType.nullable(ArrowType.Binary.INSTANCE), null));
        fields.add(new Field("sabot_record_key_long", FieldType.nullable(new ArrowType.Int(64, true)), null));
      }
      int n = stored.size();
      try (VectorSchemaRoot root = VectorSchemaRoot.create(
          new org.apache.arrow.vector.types.pojo.Schema(fields), allocator)) {
        int[] slot = {-1};
        int[] left = {0};
        ReferenceSnapshotFile.write(dir, identity, offsets, slots, total, root, out -> {
          VectorSchemaRoot b = live.next();
          if (b == null) return false;
          try {
            int count = b.getRowCount();
            for (int c = 0; c < n; c++) b.getVector(c).makeTransferPair(out.getVector(c)).transfer();
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
                } while (!isLive(slot[0]));
                left[0] = rows.slotRows(slot[0]);
                counts.set(r, left[0]);
                hashes.set(r, rows.slotHash(slot[0]));
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
  }

  /** A slot the snapshot of the rows walks: a key with at least one row. */
  private boolean isLive(int slot) {
    return rows.slotRow(slot) >= 0 && rows.slotRows(slot) > 0;
  }

  // -------------------------------------------------------------------------------------- stats

  /** Appends the snapshot counters (after the feed's own). */
  void stats(Map<String, Object> out) {
    out.put("restored_from_snapshot", restored);
    out.put("restore_millis", restoreMillis);
    out.put("snapshot_read_millis", readMillis);
    out.put("snapshot_index_millis", indexMillis);
    out.put("snapshot_first_write_millis", firstWriteMillis);
    out.put("start_offsets", text(startOffsets));
    out.put("snapshot_records_skipped", skipped);
    out.put("snapshot_age_seconds", lastSnapshotMillis < 0 ? -1
        : (System.currentTimeMillis() - lastSnapshotMillis) / 1000);
    out.put("snapshots_written", written);
    out.put("snapshot_write_millis", writeMillis);
    if (refused != null) out.put("snapshot_refused", refused);
    if (failed != null) out.put("snapshot_failed", failed);
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
