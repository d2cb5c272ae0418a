package io.sabot.kafka;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ReadContext;
import io.sabot.connect.ReferenceFeed;
import io.sabot.connect.arrow.ArrowRecords;
import io.sabot.connect.text.RecordDecoder;
import io.sabot.connect.text.RecordEncoder;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * A compacted topic as the live rows of a reference table: the latest value of every key
 * (the record key, or the text of the {@code key} column), upserts replacing, tombstones (null
 * values) deleting. Read from the beginning to the end offsets at open (the bootstrap), then
 * caught up to the end offsets of the moment at each {@link #poll()}: so an update written before
 * a stream record is applied before that record's batch is probed.
 *
 * <pre>
 *   key ─► latest value bytes (insertion order)  ──snapshot()──► decoded batches ─► table version
 * </pre>
 *
 * Values are validated when they arrive (a record that cannot be decoded goes to the dead-letter
 * topic and the key keeps its previous value) and decoded again for each snapshot; a snapshot is
 * taken only when something changed.
 */
final class KafkaReferenceFeed implements ReferenceFeed {
  private static final int SCRATCH_ROWS = 1024;

  private final KafkaSourceConfig config;
  private final Duration timeout;
  private final Schema fields;
  private final ReadContext context;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<TopicPartition> partitions;
  private final RecordRejects rejects;
  private final Map<ByteBuffer, byte[]> rows = new LinkedHashMap<>();
  private final Schema checked;
  private final RecordDecoder checker;
  private final int keyIndex;
  private VectorSchemaRoot scratch;
  private boolean bootstrapped;
  private boolean changed;
  private long bootstrapRecords;
  private long upserts;
  private long deletes;
  private long lag;

  private KafkaReferenceFeed(KafkaSourceConfig config, Schema fields, ReadContext context,
                             KafkaConsumer<byte[], byte[]> consumer) throws IOException {
    this.config = config;
    this.timeout = KafkaClients.timeout(config.properties());
    this.fields = fields;
    this.context = context;
    this.consumer = consumer;
    this.partitions = KafkaClients.partitions(consumer, config.topic(), config.bootstrapServers(),
        timeout)
        .stream().map(i -> new TopicPartition(i.topic(), i.partition())).collect(Collectors.toList());
    this.rejects = new RecordRejects(config, context.rejecter());
    // every value is checked with the columns the table needs, plus the key column
    List<Field> check = new ArrayList<>();
    for (Field f : fields.fields()) {
      if (context.columns().contains(f.name()) || f.name().equals(config.keyColumn())) check.add(f);
    }
    this.checked = new Schema(check);
    this.keyIndex = config.keyColumn() == null ? -1 : checked.indexOf(config.keyColumn());
    this.checker = config.format() == RecordFormat.JSONL ? RecordDecoder.jsonl(checked)
        : config.format() == RecordFormat.CSV ? RecordDecoder.csv(checked, fields) : null;
  }

  static KafkaReferenceFeed open(KafkaSourceConfig config, Schema fields, ReadContext context)
      throws IOException {
    KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(config.bootstrapServers(), null,
        "sabot-" + config.operator() + "-changelog", "earliest", config.properties());
    KafkaReferenceFeed feed = null;
    try {
      feed = new KafkaReferenceFeed(config, fields, context, consumer);
      consumer.assign(feed.partitions);
      consumer.seekToBeginning(feed.partitions);
      feed.catchUp();
      feed.bootstrapped = true;
      return feed;
    } catch (IOException | RuntimeException e) {
      if (feed != null) {
        feed.close();
      } else {
        consumer.close(Duration.ZERO);
      }
      throw e;
    }
  }

  @Override
  public boolean poll() throws IOException {
    catchUp();
    return changed;
  }

  /** Reads every partition up to the end offsets it has now. */
  private void catchUp() throws IOException {
    Map<TopicPartition, Long> ends;
    try {
      ends = consumer.endOffsets(partitions, timeout);
    } catch (TimeoutException e) {
      throw KafkaClients.unreachable(config.bootstrapServers(), timeout, e);
    }
    long behind = behind(ends);
    long lastProgress = System.currentTimeMillis();
    while (behind > 0) {
      int n = 0;
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
        apply(r);
        n++;
      }
      long now = System.currentTimeMillis();
      if (n > 0) {
        lastProgress = now;
      } else if (now - lastProgress > timeout.toMillis()) {
        throw new IOException("reference topic=" + config.topic() + " at bootstrap_servers="
            + config.bootstrapServers() + ": no records for " + timeout.toMillis() / 1000.0
            + " s while " + behind + " are still to read");
      }
      behind = behind(ends);
    }
  }

  private long behind(Map<TopicPartition, Long> ends) {
    long sum = 0;
    for (TopicPartition tp : partitions) {
      sum += Math.max(0, ends.get(tp) - consumer.position(tp, timeout));
    }
    return sum;
  }

  private void apply(ConsumerRecord<byte[], byte[]> r) throws IOException {
    if (!bootstrapped) bootstrapRecords++;
    if (r.value() == null) {
      if (r.key() == null) {
        rejects.reject(r, "tombstone (null value) without a key");
        return;
      }
      if (rows.remove(ByteBuffer.wrap(r.key())) != null) {
        changed = true;
        if (bootstrapped) deletes++;
      }
      return;
    }
    byte[] key = check(r);
    if (key == null) return;
    byte[] previous = rows.put(ByteBuffer.wrap(key), r.value());
    if (previous == null || !Arrays.equals(previous, r.value())) {
      changed = true;
      if (bootstrapped) upserts++;
    }
  }

  /** Decodes the value once to check it; returns the record's key, or null (rejected). */
  private byte[] check(ConsumerRecord<byte[], byte[]> r) throws IOException {
    byte[] value = r.value();
    byte[] key = r.key();
    if (checker != null) {
      if (scratch == null || checker.rows() >= SCRATCH_ROWS) {
        if (scratch != null) scratch.close();
        scratch = checked.newBatch(context.allocator());
        checker.start(scratch, SCRATCH_ROWS);
      }
      String reason = checker.decode(value, 0, value.length);
      if (reason != null) {
        rejects.reject(r, reason);
        return null;
      }
      if (keyIndex >= 0) {
        checker.finish(scratch);
        key = RecordEncoder.keyText(scratch.getVector(keyIndex), checked.field(keyIndex).type(),
            checker.rows() - 1);
      }
    } else {
      List<VectorSchemaRoot> batches;
      try {
        batches = ArrowRecords.decode(value, 0, value.length, checked, context.allocator());
      } catch (IOException e) {
        rejects.reject(r, e.getMessage());
        return null;
      }
      try {
        if (keyIndex >= 0) {
          if (batches.size() != 1 || batches.get(0).getRowCount() != 1) {
            rejects.reject(r, "an arrow record keyed by column=" + config.keyColumn()
                + " must hold one row");
            return null;
          }
          key = RecordEncoder.keyText(batches.get(0).getVector(keyIndex),
              checked.field(keyIndex).type(), 0);
        }
      } finally {
        batches.forEach(VectorSchemaRoot::close);
      }
    }
    if (key == null) {
      rejects.reject(r, keyIndex >= 0 ? "column=" + config.keyColumn() + " is null; a changelog "
          + "record needs a key" : "record has no key; a reference table from a topic is keyed "
          + "by the record key (or set key: COLUMN)");
    }
    return key;
  }

  @Override
  public BatchReader snapshot() {
    changed = false;
    Iterator<byte[]> values = new ArrayList<>(rows.values()).iterator();
    TopicDecoder decoder = new TopicDecoder(config.format(), fields, context.columns(),
        context.allocator(), context.batchSize());
    ArrayDeque<VectorSchemaRoot> ready = new ArrayDeque<>();
    return new BatchReader() {
      @Override
      public VectorSchemaRoot next() throws IOException {
        while (ready.isEmpty() && values.hasNext()) decoder.add(values.next(), ready::add);
        if (ready.isEmpty()) decoder.flush(ready::add);
        return ready.poll();
      }

      @Override
      public void close() {
        decoder.close();
        ready.forEach(VectorSchemaRoot::close);
        ready.clear();
      }
    };
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
  public Map<String, Object> stats() {
    lag = lagNow();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("changelog_keys", (long) rows.size());
    out.put("changelog_upserts", upserts);
    out.put("changelog_deletes", deletes);
    out.put("changelog_lag", lag);
    out.put("bootstrap_records", bootstrapRecords);
    return out;
  }

  @Override
  public void close() throws IOException {
    if (scratch != null) scratch.close();
    scratch = null;
    boolean interrupted = Thread.interrupted(); // a stopped job still closes its clients cleanly
    try {
      rejects.flush();
    } finally {
      rejects.close();
      consumer.close(timeout);
      if (interrupted) Thread.currentThread().interrupt();
    }
  }
}
