package io.sabot.kafka;

import io.sabot.connect.BatchReader;
import io.sabot.connect.KeptSnapshot;
import io.sabot.connect.OwnedPartitions;
import io.sabot.connect.ReadContext;
import io.sabot.connect.ReferenceFeed;
import io.sabot.connect.RestoreListener;
import io.sabot.connect.Threads;
import io.sabot.connect.arrow.ArrowRecords;
import io.sabot.connect.text.ColumnValues;
import io.sabot.connect.text.RecordDecoder;
import io.sabot.connect.text.RecordEncoder;
import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;

/**
 * A compacted topic as the live rows of a reference table: the latest value of every key
 * (the record key, or the text of the {@code key} column), upserts replacing, tombstones (null
 * values) deleting. Read from the beginning to the end offsets at open (the bootstrap), then
 * caught up to the end offsets of the moment at each {@link #poll()}: so an update written before
 * a stream record is applied before that record's batch is probed.
 *
 * <pre>
 *   record value ──decode once──► next row of {@link ChangelogRows} (Arrow batches)
 *   key ──{@link KeyIndex}──► slot ─► the rows of the key's latest record (insertion order)
 *   snapshot() ─► the live rows, in slot order, as slices of those batches ─► table version
 *   changes()  ─► the rows then and now of the keys changed since ─► applied to the table
 * </pre>
 *
 * Each value is decoded once, when it arrives, straight from the fetched bytes (no copy) into
 * the columns the table needs plus the key column; a record that cannot be decoded goes to the
 * dead-letter topic and the key keeps its previous value. A newer record of a key is a change
 * unless its value is the same bytes again (a hash of the value, then the decoded rows, are
 * compared); a snapshot is taken only when something changed.
 *
 * <p>Co-partitioned ({@link CoPartitions}), the feed reads only the partitions numbered as the
 * stream partitions this process reads: before each catch-up it starts reading, from the
 * beginning, those the stream has taken since, and drops the keys of those it gave up (memory
 * follows the share of the stream; a partition given back later is read again from its start).
 */
final class KafkaReferenceFeed implements ReferenceFeed {
  /** At least this many records to read: poll on a thread of its own while applying. */
  private static final long PIPELINED = 20_000;
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Object END = new Object();

  private final KafkaSourceConfig config;
  private final Duration timeout;
  private final ReadContext context;
  private final KafkaConsumer<byte[], ByteBuffer> consumer;
  /** The partitions read: all of them, or (co-partitioned) those of the stream's share. */
  private List<TopicPartition> partitions;
  /** Co-partitioned: which partitions to read as the stream's share changes; null: all. */
  private final CoPartitions coPartitions;
  /** Co-partitioned: the partition of each key's latest record; null: all are read. */
  private final SlotPartitions slotPartitions;
  private final RecordRejects rejects;
  private final KeyIndex keys = new KeyIndex();
  private final ChangelogRows rows;
  private final Schema stored;
  private final int keyIndex;
  private final ColumnType keyType;
  private boolean bootstrapped;
  private boolean changed;
  private long bootstrapRecords;
  private long upserts;
  private long deletes;
  private long lag;
  /** With a snapshot folder (broadcast only): the rows kept on disk between runs; else null. */
  private final ReferenceSnapshots snapshots;
  /** False from the start of a catch-up until it has applied everything it polled. */
  private boolean caughtUp;
  /** With snapshots: the positions after the last catch-up (the rows' offsets), else null. */
  private long[] positions;
  /** The version of {@link #positions}, made when asked. */
  private String version;
  /** The open: the whole of it, and the bootstrap's catch-up (reading the topic) in it. */
  private long openMillis;
  private long catchUpMillis;

  private KafkaReferenceFeed(KafkaSourceConfig config, Schema fields, ReadContext context,
                             KafkaConsumer<byte[], ByteBuffer> consumer, OwnedPartitions owned,
                             Path snapshotDir) throws IOException {
    this.config = config;
    this.timeout = KafkaClients.timeout(config.properties());
    this.context = context;
    this.consumer = consumer;
    List<TopicPartition> all = KafkaClients.partitions(consumer, config.topic(),
        config.bootstrapServers(), timeout)
        .stream().map(i -> new TopicPartition(i.topic(), i.partition())).collect(Collectors.toList());
    this.partitions = owned == null ? all : List.of(); // co-partitioned: taken in catchUp
    this.coPartitions = owned == null ? null
        : new CoPartitions(config.topic(), all.size(), owned);
    this.slotPartitions = owned == null ? null : new SlotPartitions();
    this.rejects = new RecordRejects(config, context.rejecter());
    // every value is decoded into the columns the table needs, plus the key column
    List<Field> keep = new ArrayList<>();
    for (Field f : fields.fields()) {
      if (context.columns().contains(f.name()) || f.name().equals(config.keyColumn())) keep.add(f);
    }
    this.stored = new Schema(keep);
    this.keyIndex = config.keyColumn() == null ? -1 : stored.indexOf(config.keyColumn());
    this.keyType = keyIndex < 0 ? null : stored.field(keyIndex).type();
    RecordDecoder text = config.format() == RecordFormat.JSONL ? RecordDecoder.jsonl(stored)
        : config.format() == RecordFormat.CSV ? RecordDecoder.csv(stored, fields) : null;
    this.rows = new ChangelogRows(stored, context.allocator(), context.batchSize(), text);
    this.snapshots = !keepsSnapshots(snapshotDir, owned) ? null
        : new ReferenceSnapshots(snapshotDir, config, all.size(), fields, consumer, timeout, rows,
            keys, stored, context.allocator(), rejects);
  }

  static KafkaReferenceFeed open(KafkaSourceConfig config, Schema fields, ReadContext context)
      throws IOException {
    return open(config, fields, context, null);
  }

  /**
   * With {@code owned} (null: broadcast), only the partitions numbered as those in it, following
   * it: at open, the partitions it holds then (none yet, when the stream has not started).
   */
  static KafkaReferenceFeed open(KafkaSourceConfig config, Schema fields, ReadContext context,
                                 OwnedPartitions owned) throws IOException {
    return open(config, fields, context, owned, null);
  }

  /**
   * With {@code snapshotDir} (null: none; ignored when co-partitioned), the rows are restored
   * from the snapshot there when one verifies, and kept there ({@link ReferenceSnapshots}).
   */
  static KafkaReferenceFeed open(KafkaSourceConfig config, Schema fields, ReadContext context,
                                 OwnedPartitions owned, Path snapshotDir) throws IOException {
    return open(config, fields, context, owned, snapshotDir, null);
  }

  /**
   * As above; {@code restoring} (null: none) is told the version restored and its rows as soon
   * as the snapshot verified ({@link io.sabot.connect.ChangelogSource#openFeed(ReadContext, Path,
   * RestoreListener)}).
   */
  static KafkaReferenceFeed open(KafkaSourceConfig config, Schema fields, ReadContext context,
                                 OwnedPartitions owned, Path snapshotDir,
                                 RestoreListener restoring) throws IOException {
    long t0 = System.nanoTime();
    // the snapshot is read and verified while the consumer starts and learns the partitions
    SnapshotReadAhead ahead = keepsSnapshots(snapshotDir, owned)
        ? SnapshotReadAhead.start(snapshotDir, context.allocator()) : null;
    try {
      KafkaConsumer<byte[], ByteBuffer> consumer = KafkaClients.consumer(config.bootstrapServers(),
          null, "sabot-" + config.operator() + "-changelog", "earliest",
          changelogProperties(config.properties()), new ByteBufferDeserializer());
      KafkaReferenceFeed feed = null;
      try {
        feed = new KafkaReferenceFeed(config, fields, context, consumer, owned, snapshotDir);
        consumer.assign(feed.partitions);
        boolean restored = false;
        if (feed.snapshots != null) {
          if (restoring != null) {
            ChangelogRows rows = feed.rows;
            feed.snapshots.tellRestoring((version, batches) ->
                restoring.restoring(version, () -> rows.slicesOf(batches, context.columns())));
          }
          SnapshotReadAhead read = ahead;
          ahead = null; // restore closes it
          restored = feed.snapshots.restore(read);
        }
        if (!restored) consumer.seekToBeginning(feed.partitions);
        long t1 = System.nanoTime();
        feed.catchUp();
        feed.catchUpMillis = (System.nanoTime() - t1) / 1_000_000;
        feed.caughtUp = true;
        feed.bootstrapped = true;
        if (feed.snapshots != null) feed.snapshots.afterBootstrap();
        feed.openMillis = (System.nanoTime() - t0) / 1_000_000;
        return feed;
      } catch (IOException | RuntimeException e) {
        if (feed != null) {
          feed.close();
        } else {
          consumer.close(Duration.ZERO);
        }
        throw e;
      }
    } catch (Throwable e) { // the file read ahead is not left mapped, nor its thread running
      if (ahead != null) {
        try {
          ahead.close();
        } catch (RuntimeException closing) {
          e.addSuppressed(closing);
        }
      }
      throw e;
    }
  }

  /**
   * How long the broker may hold a fetch of the changelog while no record comes, unless the job's
   * properties say otherwise. The consumer sends its next fetch as it hands records over, and a
   * request for the end offsets on the same connection waits behind it: with Kafka's 500 ms, the
   * look before the stream batch after each change waited half a second for the broker. Idle, a
   * fetch every 20 ms is little for a broker.
   */
  static final String FETCH_MAX_WAIT_MS = "20";

  /** The job's consumer properties, with {@link #FETCH_MAX_WAIT_MS} unless they set it. */
  private static Map<String, String> changelogProperties(Map<String, String> properties) {
    if (properties.containsKey(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)) return properties;
    Map<String, String> out = new LinkedHashMap<>(properties);
    out.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
    return out;
  }

  /** Whether a feed keeps snapshots: with a folder for them, and broadcast (not co-partitioned). */
  private static boolean keepsSnapshots(Path snapshotDir, OwnedPartitions owned) {
    return snapshotDir != null && owned == null;
  }

  @Override
  public boolean poll() throws IOException {
    return catchUpBy(this::catchUp);
  }

  /** A way of catching up with the changelog ({@link #catchUp}, or from what was fetched). */
  private interface CatchUp {
    void run() throws IOException;
  }

  /** Catches up by {@code way}, then keeps a snapshot when one is due; whether the rows changed. */
  private boolean catchUpBy(CatchUp way) throws IOException {
    caughtUp = false;
    way.run();
    caughtUp = true;
    if (snapshots != null) snapshots.maybeWrite();
    return changed;
  }

  @Override
  public boolean pollArrived() throws IOException {
    if (coPartitions != null) return poll(); // the stream's share may have moved: as poll does
    return catchUpBy(() -> {
      if (!atEndByFetches()) readToEnd();
      notePositions();
    });
  }

  /**
   * At least this often {@link #pollArrived} reads to the end offsets, as {@link #poll()} does,
   * even when the fetches tell it is at the end: a broker that stopped answering then fails the
   * job (its fetches would simply bring nothing), and a fetch answer larger than the socket's
   * buffer, read a piece a poll, is read whole.
   */
  static final long READ_TO_END_EVERY_NANOS = 1_000_000_000L;

  /** When the end offsets were last read to (nanoTime). */
  private long lastReadToEnd = System.nanoTime();

  /**
   * True when the consumer's fetches tell this feed is at the topic's end, with no round trip:
   * the lag they last told is 0, and still 0 after a poll that waits for nothing (and the records
   * it brought applied), and the end offsets were read to within {@link #READ_TO_END_EVERY_NANOS}.
   * False: the caller reads to the end offsets (the consumer is behind, or cannot tell). Not
   * reading to the end after records came matters: the consumer sends its next fetch as it hands
   * them over, the broker holds that fetch until more records come ({@link #FETCH_MAX_WAIT_MS}),
   * and an end-offsets request on the same connection waits behind it.
   */
  private boolean atEndByFetches() throws IOException {
    if (System.nanoTime() - lastReadToEnd >= READ_TO_END_EVERY_NANOS) return false;
    if (fetchedLag() != 0) return false;
    for (ConsumerRecord<byte[], ByteBuffer> r : consumer.poll(Duration.ZERO)) apply(r);
    return fetchedLag() == 0;
  }

  /** The records behind, as the last fetches told (no round trip); -1 when not known. */
  private long fetchedLag() {
    long sum = 0;
    for (TopicPartition tp : partitions) {
      OptionalLong lag = consumer.currentLag(tp);
      if (lag.isEmpty() || lag.getAsLong() < 0) return -1;
      sum += lag.getAsLong();
    }
    return sum;
  }

  /** Requests the consumer has sent to the brokers so far (for tests). */
  double requestsSent() {
    for (var e : consumer.metrics().entrySet()) {
      if (e.getKey().name().equals("request-total") && e.getKey().group().equals("consumer-metrics")) {
        return ((Number) e.getValue().metricValue()).doubleValue();
      }
    }
    throw new IllegalStateException("the consumer has no request-total metric");
  }

  /** Reads every partition up to the end offsets it has now (co-partitioned: the share now). */
  private void catchUp() throws IOException {
    if (!follow()) {
      readToEnd();
      notePositions();
      return;
    }
    bootstrapped = false; // partitions just taken are loaded as the first ones were
    readToEnd();
    bootstrapped = true;
  }

  /** With snapshots (broadcast: every partition), where the rows now stand. */
  private void notePositions() {
    if (snapshots == null) return;
    long[] now = new long[partitions.size()];
    for (TopicPartition tp : partitions) now[tp.partition()] = consumer.position(tp, timeout);
    if (positions == null || !java.util.Arrays.equals(now, positions)) {
      positions = now;
      version = null;
    }
  }

  /**
   * Co-partitioned: reads the partitions the stream has taken since the last call from their
   * beginning, drops the keys of those it gave up; true when some were taken.
   */
  private boolean follow() throws IOException {
    if (coPartitions == null) return false;
    CoPartitions.Change change = coPartitions.update();
    if (change.isEmpty()) return false;
    partitions = change.now();
    consumer.assign(partitions); // positions of the partitions kept stay where they are
    if (!change.removed().isEmpty()) drop(change.removed());
    if (change.added().isEmpty()) return false;
    consumer.seekToBeginning(change.added());
    return true;
  }

  /** Forgets the keys whose latest record came from one of {@code gone}. */
  private void drop(List<TopicPartition> gone) {
    Set<Integer> numbers = new HashSet<>();
    for (TopicPartition tp : gone) numbers.add(tp.partition());
    keys.removeSlots(slot -> numbers.contains(slotPartitions.get(slot)), slot -> {
      rows.delete(slot);
      changed = true;
    });
  }

  private void readToEnd() throws IOException {
    lastReadToEnd = System.nanoTime();
    Map<TopicPartition, Long> ends;
    try {
      ends = consumer.endOffsets(partitions, timeout);
    } catch (TimeoutException e) {
      throw KafkaClients.unreachable(config.bootstrapServers(), timeout, e);
    }
    long behind = behind(ends);
    if (!bootstrapped) rows.expect(behind);
    if (behind >= PIPELINED) {
      catchUpPipelined(ends);
      return;
    }
    long lastProgress = System.currentTimeMillis();
    while (behind > 0) {
      int n = 0;
      for (ConsumerRecord<byte[], ByteBuffer> r : consumer.poll(POLL)) {
        apply(r);
        n++;
      }
      long now = System.currentTimeMillis();
      if (n > 0) {
        lastProgress = now;
      } else if (now - lastProgress > timeout.toMillis()) {
        throw noRecords(behind);
      }
      behind = behind(ends);
    }
  }

  private IOException noRecords(long behind) {
    return new IOException("reference topic=" + config.topic() + " at bootstrap_servers="
        + config.bootstrapServers() + ": no records for " + timeout.toMillis() / 1000.0
        + " s while " + behind + " are still to read");
  }

  /**
   * As {@link #catchUp()} for many records (the bootstrap): the consumer polls on a thread of
   * its own (fetching and parsing the next records) while this thread applies the ones polled,
   * in order; the consumer is back with this thread when it returns or throws.
   *
   * <pre>
   *   fetcher thread:  poll ─► poll ─► poll ─► ... up to the end offsets ─► END
   *                      └─► queue (a few polls) ─► this thread: apply each record, in order
   * </pre>
   */
  private void catchUpPipelined(Map<TopicPartition, Long> ends) throws IOException {
    BlockingQueue<Object> queue = new ArrayBlockingQueue<>(4);
    AtomicBoolean stop = new AtomicBoolean();
    Thread fetcher = new Thread(() -> fetch(ends, queue, stop),
        "sabot-changelog-" + config.operator());
    fetcher.setDaemon(true);
    fetcher.start();
    boolean interrupted = false;
    try {
      while (true) {
        Object polled = queue.take();
        if (polled == END) return;
        if (polled instanceof IOException) throw (IOException) polled;
        if (polled instanceof RuntimeException) throw (RuntimeException) polled;
        if (polled instanceof Error) throw (Error) polled;
        @SuppressWarnings("unchecked")
        ConsumerRecords<byte[], ByteBuffer> records = (ConsumerRecords<byte[], ByteBuffer>) polled;
        for (ConsumerRecord<byte[], ByteBuffer> r : records) apply(r);
      }
    } catch (InterruptedException e) {
      interrupted = true;
      throw new InterruptedIOException("interrupted while reading reference topic="
          + config.topic());
    } finally {
      stop.set(true);
      queue.clear(); // a fetcher waiting to hand over records sees the stop
      Threads.joinUninterruptibly(fetcher); // the consumer is back with this thread
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /** The fetcher thread: polls up to {@code ends}, then END; or the failure. */
  private void fetch(Map<TopicPartition, Long> ends, BlockingQueue<Object> queue,
                     AtomicBoolean stop) {
    Object last;
    try {
      long behind = behind(ends);
      long lastProgress = System.currentTimeMillis();
      while (behind > 0 && !stop.get()) {
        ConsumerRecords<byte[], ByteBuffer> polled = consumer.poll(POLL);
        long now = System.currentTimeMillis();
        if (!polled.isEmpty()) {
          lastProgress = now;
          if (!hand(queue, polled, stop)) return;
        } else if (now - lastProgress > timeout.toMillis()) {
          throw noRecords(behind);
        }
        behind = behind(ends);
      }
      last = END;
    } catch (IOException | RuntimeException | Error e) {
      last = e;
    }
    hand(queue, last, stop);
  }

  /** Puts {@code item} in the queue, unless stopped first; false when stopped. */
  private static boolean hand(BlockingQueue<Object> queue, Object item, AtomicBoolean stop) {
    try {
      while (!queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
        if (stop.get()) return false;
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private long behind(Map<TopicPartition, Long> ends) {
    long sum = 0;
    for (TopicPartition tp : partitions) {
      sum += Math.max(0, ends.get(tp) - consumer.position(tp, timeout));
    }
    return sum;
  }

  private void apply(ConsumerRecord<byte[], ByteBuffer> r) throws IOException {
    if (!bootstrapped) bootstrapRecords++;
    ByteBuffer value = r.value();
    if (value == null) {
      if (r.key() == null) {
        reject(r, "tombstone (null value) without a key");
        return;
      }
      int slot = keys.remove(r.key());
      if (slot >= 0) {
        rows.delete(slot);
        changed = true;
        if (bootstrapped) deletes++;
      }
      return;
    }
    byte[] b;
    int off;
    int len = value.remaining();
    if (value.hasArray()) {
      b = value.array();
      off = value.arrayOffset() + value.position();
    } else {
      b = new byte[len];
      value.duplicate().get(b);
      off = 0;
    }
    long first = rows.rowsAppended();
    int count = decode(r, b, off, len);
    if (count < 0) return;
    long hash = ChangelogRows.hash(b, off, len);
    int next = rows.nextSlot();
    int slot;
    if (keyIndex >= 0) {
      FieldVector v = rows.vector(first, keyIndex);
      int row = rows.rowInVector();
      if (v.isNull(row)) {
        reject(r, "column=" + config.keyColumn() + " is null; a changelog record needs a key");
        return;
      }
      if (keyType == ColumnType.INT32 || keyType == ColumnType.INT64 || keyType == ColumnType.TIMESTAMP) {
        // its record-key text is Long.toString of the value: the index keeps that as the long
        slot = keys.putIfAbsent(ColumnValues.getLong(v, row), next);
      } else {
        slot = keys.putIfAbsent(RecordEncoder.keyText(v, keyType, row), next);
      }
    } else {
      byte[] key = r.key();
      if (key == null) {
        reject(r, "record has no key; a reference table from a topic is keyed by the record key "
            + "(or set key: COLUMN)");
        return;
      }
      slot = keys.putIfAbsent(key, next);
    }
    if (slotPartitions != null) slotPartitions.set(slot < 0 ? next : slot, r.partition());
    if (slot < 0) {
      rows.insert(first, count, hash);
    } else if (!rows.replace(slot, first, count, hash)) {
      return; // the same value again
    }
    changed = true;
    if (bootstrapped) upserts++;
  }

  /**
   * Decodes the value into the next rows; how many, or -1 when it cannot be decoded (rejected,
   * and then no row was added).
   */
  private int decode(ConsumerRecord<byte[], ByteBuffer> r, byte[] b, int off, int len)
      throws IOException {
    if (config.format() != RecordFormat.ARROW) {
      String reason = rows.decode(b, off, len);
      if (reason != null) {
        reject(r, reason);
        return -1;
      }
      return 1;
    }
    List<VectorSchemaRoot> batches;
    try {
      batches = ArrowRecords.decode(b, off, len, stored, context.allocator());
    } catch (IOException e) {
      reject(r, e.getMessage());
      return -1;
    }
    if (keyIndex >= 0) {
      try {
        if (batches.size() != 1 || batches.get(0).getRowCount() != 1) {
          reject(r, "an arrow record keyed by column=" + config.keyColumn() + " must hold one row");
          return -1;
        }
        rows.copyRow(batches.get(0), 0);
        return 1;
      } finally {
        batches.forEach(VectorSchemaRoot::close);
      }
    }
    int count = 0;
    int taken = 0;
    try {
      for (VectorSchemaRoot batch : batches) {
        count += batch.getRowCount();
        rows.addBatch(batch);
        taken++;
      }
    } finally {
      for (int i = taken; i < batches.size(); i++) batches.get(i).close();
    }
    return count;
  }

  /** To the dead-letter handling, as the record was (its value copied out of the fetch). */
  private void reject(ConsumerRecord<byte[], ByteBuffer> r, String reason) throws IOException {
    rejects.rejectBuffer(r, reason);
  }

  @Override
  public BatchReader snapshot() {
    changed = false;
    return rows.snapshot(context.columns(), this::renumber);
  }

  /** A compaction gave the keys new slots. */
  private void renumber(int[] newSlot) {
    keys.renumber(newSlot);
    if (slotPartitions != null) slotPartitions.renumber(newSlot);
  }

  /**
   * The rows of the keys changed since the last {@link #snapshot()} or changes, as
   * {@link ChangelogRows#changes} tells them: upserts and tombstones, and (co-partitioned) the
   * keys of the partitions given up (removed) and those read again from a partition taken since
   * (added).
   */
  @Override
  public Changes changes() {
    return changes((Set<String>) null);
  }

  @Override
  public Changes changes(Set<String> removedColumns) {
    changed = false;
    return rows.changes(context.columns(), removedColumns, newSlot -> { // a compaction renumbered
      keys.renumber(newSlot);
      if (slotPartitions != null) slotPartitions.renumber(newSlot);
    });
  }

  @Override
  public String restoredVersion() {
    return snapshots == null ? null : snapshots.restoredVersion();
  }

  @Override
  public String version() {
    if (snapshots == null || positions == null) return null;
    if (version == null) version = snapshots.versionOf(positions);
    return version;
  }

  @Override
  public String keptVersion() {
    return snapshots == null ? null : snapshots.keptVersion();
  }

  @Override
  public String savedVersion() {
    return snapshots == null ? null : snapshots.savedVersion();
  }

  /** Records published but not yet applied, now (asked when the summary is made). */
  private long lagNow() {
    try {
      return behind(consumer.endOffsets(partitions, Duration.ofSeconds(2)));
    } catch (RuntimeException e) {
      return -1; // unknown: the broker did not answer
    }
  }

  @Override
  public KeptSnapshot keptSnapshot() {
    return snapshots == null ? null : snapshots.status();
  }

  @Override
  public Map<String, Object> stats() {
    lag = lagNow();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("changelog_keys", (long) rows.liveKeys());
    out.put("changelog_upserts", upserts);
    out.put("changelog_deletes", deletes);
    out.put("changelog_lag", lag);
    out.put("bootstrap_records", bootstrapRecords);
    out.put("feed_open_millis", openMillis);
    out.put("bootstrap_catch_up_millis", catchUpMillis);
    if (coPartitions != null) {
      // the partitions read at the last catch-up (the stream's share then)
      out.put("reference_partitions", partitions.stream().map(TopicPartition::partition)
          .collect(Collectors.toList()).toString());
    }
    if (snapshots != null) snapshots.stats(out);
    return out;
  }

  @Override
  public void close() throws IOException {
    boolean interrupted = Thread.interrupted(); // a stopped job still closes its clients cleanly
    try {
      try {
        if (snapshots != null) snapshots.atClose(caughtUp);
      } finally {
        rows.close();
      }
      rejects.flush();
    } finally {
      rejects.close();
      consumer.close(timeout);
      if (interrupted) Thread.currentThread().interrupt();
    }
  }
}
