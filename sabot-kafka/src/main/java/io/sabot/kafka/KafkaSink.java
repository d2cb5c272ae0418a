package io.sabot.kafka;

import io.sabot.connect.Sink;
import io.sabot.connect.arrow.ArrowRecords;
import io.sabot.connect.text.RecordEncoder;
import io.sabot.types.ColumnType;
import io.sabot.types.Schema;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Writes rows to a topic: each batch is encoded once ({@link RecordEncoder}: one record per row
 * for jsonl and csv, keyed by the {@code key} column's text; {@link ArrowRecords}: one record per
 * batch), sent by an idempotent producer with acks=all.
 *
 * <pre>
 *  at_least_once:  send rows ─► broker acks every record of the batch ─► onDurable (in order)
 *                  ─► the source commits the batch's offsets
 *  exactly_once:   begin ─► send rows of ~{@link #TRANSACTION_MS} of batches ─► send the newest
 *                  source offsets to the transaction, as the reader's group member
 *                  ({@link GroupMember}) ─► commit ─► onDurable for those batches
 * </pre>
 *
 * Rows count as written only in onDurable. A failed send fails the job at the next write or at
 * flush, never silently.
 *
 * <p>Every wait for the broker has one bound, {@link KafkaClients.ProducerWaits} (the job's
 * {@code default.api.timeout.ms} unless it sets the producer's own): {@link #open} waits once for
 * the topic's metadata (and {@code initTransactions}), so an unreachable broker fails the job
 * there; after that a send waits only for buffer space, which the producer frees when records
 * expire after {@code delivery.timeout.ms}. The first failed record stops the sending (the rest
 * of the batch is not sent, so a lost broker never costs a wait per record), and a timeout is
 * reported as {@link KafkaClients#unreachable}. After a failure nothing more counts: unacknowledged
 * rows are dropped at close (at-least-once: their offsets were never committed) and an open
 * transaction is left to the rerun's {@code initTransactions}, which aborts it.
 */
final class KafkaSink implements Sink {
  static final long TRANSACTION_MS = 200;
  /** Between commits of a transaction sent again at a flush: about a poll of the reader. */
  private static final long REPLAY_PAUSE_MS = 100;

  /** A batch written in the open transaction. */
  private record Written(List<ProducerRecord<byte[], byte[]>> records, KafkaCheckpoint checkpoint,
                         Runnable onDurable) {}

  /** A written batch waiting for its records' acks. */
  private static final class InFlight {
    final AtomicInteger unacked;
    final Runnable onDurable;

    InFlight(int records, Runnable onDurable) {
      this.unacked = new AtomicInteger(records);
      this.onDurable = onDurable;
    }
  }

  private final KafkaSinkConfig config;
  private final KafkaClients.ProducerWaits waits;
  /** The first failure, of a send (set from the producer's thread) or of a call. */
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
  /** The batches of the open transaction, their records kept until it commits ({@link #replay}). */
  private final List<Written> inTransaction = new ArrayList<>();
  /** The open transaction's number; sends of one aborted on purpose may fail unreported. */
  private long transaction;
  private volatile long abortedThrough = -1;
  /** When the group began refusing this sink's offsets (0: the last commit went through). */
  private long refusedSince;
  private KafkaProducer<byte[], byte[]> producer;
  private Schema schema;
  private RecordEncoder encoder;
  private int keyIndex = -1;
  private ColumnType keyType;
  private boolean transactionOpen;
  private long transactionStart;
  /** {@link #prepare} ran (or failed: then the job fails before opening). */
  private boolean prepared;

  KafkaSink(KafkaSinkConfig config) {
    this.config = config;
    this.waits = KafkaClients.ProducerWaits.of(config.properties());
  }

  @Override
  public void open(Schema schema) throws IOException {
    this.schema = schema;
    if (config.keyColumn() != null) {
      keyIndex = schema.indexOf(config.keyColumn());
      if (keyIndex < 0) {
        throw new IOException("operator=" + config.operator() + " parameter=key column="
            + config.keyColumn() + " is not an output column; available: "
            + String.join(", ", schema.names()));
      }
      keyType = schema.field(keyIndex).type();
    }
    encoder = newEncoder();
    if (!prepared) prepare();
  }

  /**
   * Creates the topic when it is missing, connects the producer and (exactly-once) fences the
   * transactions of an earlier run: no record is written, so the executor does it while the
   * reference tables are built.
   */
  @Override
  public boolean prepare() throws IOException {
    prepared = true;
    // before the producer asks for the topic's metadata (which would wait for a topic that a
    // cluster without auto-creation never makes)
    SinkTopic.ensure(config, waits.bound());
    producer = KafkaClients.producer(config.bootstrapServers(), "sabot-" + config.operator(),
        config.exactlyOnce() ? config.transactionalId() : null, config.properties());
    try {
      // the one wait for metadata (max.block.ms): an unreachable broker fails the job here,
      // before a row is read, instead of in the first send of every batch
      producer.partitionsFor(config.topic());
      if (config.exactlyOnce()) producer.initTransactions();
    } catch (TimeoutException e) {
      throw failed(e);
    } catch (KafkaException e) {
      failure.compareAndSet(null, e);
      throw new IOException("cannot start " + (config.exactlyOnce() ? "transactions" : "writing")
          + " on topic=" + config.topic() + ": " + e.getMessage(), e);
    }
    return true;
  }

  @Override
  public void write(VectorSchemaRoot batch) throws IOException {
    write(batch, null, () -> { });
  }

  @Override
  public void write(VectorSchemaRoot batch, Object checkpoint, Runnable onDurable) throws IOException {
    writeRecords(encode(batch, encoder), checkpoint, onDurable);
  }

  /**
   * Each batch's records made on the worker that built it (a fresh encoder per batch: encoders
   * keep state), so this sink's thread only sends them.
   */
  @Override
  public BatchEncoder parallelEncoder() {
    return batch -> encode(batch, newEncoder());
  }

  @Override
  @SuppressWarnings("unchecked")
  public void writeEncoded(VectorSchemaRoot batch, Object encoded, Object checkpoint,
                           Runnable onDurable) throws IOException {
    writeRecords((List<ProducerRecord<byte[], byte[]>>) encoded, checkpoint, onDurable);
  }

  private void writeRecords(List<ProducerRecord<byte[], byte[]>> records, Object checkpoint,
                            Runnable onDurable) throws IOException {
    check();
    try {
      if (config.exactlyOnce()) {
        writeTransactional(records, (KafkaCheckpoint) checkpoint, onDurable);
      } else {
        writeAcked(records, onDurable);
      }
    } catch (KafkaException e) {
      throw failed(e);
    }
    check();
  }

  private void writeAcked(List<ProducerRecord<byte[], byte[]>> records, Runnable onDurable) {
    InFlight pending = new InFlight(records.size(), onDurable);
    synchronized (inFlight) {
      inFlight.add(pending);
    }
    if (records.isEmpty()) {
      completeInOrder();
      return;
    }
    Callback ack = (meta, e) -> {
      if (e != null) {
        failure.compareAndSet(null, e);
      } else if (pending.unacked.decrementAndGet() == 0) {
        completeInOrder();
      }
    };
    send(records, ack);
  }

  /** Sends until the first failure: the rest would each wait for a broker known to be gone. */
  private void send(List<ProducerRecord<byte[], byte[]>> records, Callback callback) {
    for (ProducerRecord<byte[], byte[]> r : records) {
      if (failure.get() != null) return;
      producer.send(r, callback);
    }
  }

  /** Runs onDurable of the acknowledged batches at the head of the queue, in write order. */
  private void completeInOrder() {
    synchronized (inFlight) {
      while (!inFlight.isEmpty() && inFlight.peek().unacked.get() == 0) {
        inFlight.poll().onDurable.run();
      }
    }
  }

  private void writeTransactional(List<ProducerRecord<byte[], byte[]>> records,
                                  KafkaCheckpoint checkpoint, Runnable onDurable)
      throws IOException {
    if (!transactionOpen) begin();
    sendInTransaction(records);
    inTransaction.add(new Written(records, checkpoint, onDurable));
    if (System.currentTimeMillis() - transactionStart >= TRANSACTION_MS) commitTransaction();
  }

  private void begin() {
    producer.beginTransaction();
    transactionOpen = true;
    transaction++;
    transactionStart = System.currentTimeMillis();
  }

  private void sendInTransaction(List<ProducerRecord<byte[], byte[]>> records) {
    long number = transaction;
    send(records, (meta, e) -> {
      // records of a transaction the group refused fail with that refusal, which the commit
      // handles ({@link #replay}); those of one aborted on purpose fail as aborted
      if (e != null && number > abortedThrough && !refusedByGroup(e)) failure.compareAndSet(null, e);
    });
  }

  /**
   * Sends the newest source offsets with the rows, commits, then reports the rows durable.
   *
   * <p>The offsets go with the stream reader's group membership as it is now (member id and
   * generation, {@link GroupMember}), so the broker refuses them from a member the group has
   * moved on from, and a zombie's rows are never committed. A refusal has two causes:
   * <pre>
   *   every partition of the transaction still this member's: the generation changed under the
   *     commit (a rebalance the reader had not finished) ─► abort, send the same rows again in
   *     a new transaction, which commits with the new generation ({@link #replay})
   *   a partition moved to another member (a pause past session.timeout.ms) ─► abort and fail
   *     the job with {@link GroupMember.FencedException}: the new owner reads those
   *     rows again; an agent re-runs the job, which rejoins the group
   * </pre>
   */
  private void commitTransaction() throws IOException {
    if (!transactionOpen) return;
    check(); // a transaction with a failed send cannot commit; report why
    KafkaCheckpoint newest = newestCheckpoint();
    // In this order: the membership first, then the offsets, then ownership. The polling thread
    // drops a lost partition before it publishes a new generation, so if every batch is still
    // owned after the offsets were taken, the membership read before is the one the group must
    // accept or refuse (a zombie's); read after, it could be the rejoined member's, which the
    // broker would take for rows of partitions it no longer owns.
    ConsumerGroupMetadata member = newest == null ? null : newest.member.metadata();
    Map<TopicPartition, OffsetAndMetadata> offsets = newest == null ? Map.of()
        : newest.ownedOffsets();
    requireOwned();
    try {
      if (!offsets.isEmpty()) producer.sendOffsetsToTransaction(offsets, member);
      producer.commitTransaction();
    } catch (KafkaException e) {
      if (!refusedByGroup(e)) throw e;
      replay(e);
      return;
    }
    transactionOpen = false;
    refusedSince = 0;
    check();
    for (Written w : inTransaction) {
      if (w.checkpoint() != null) w.checkpoint().committedBySink = true;
    }
    for (Written w : inTransaction) w.onDurable().run();
    inTransaction.clear();
  }

  private KafkaCheckpoint newestCheckpoint() {
    for (int i = inTransaction.size() - 1; i >= 0; i--) {
      if (inTransaction.get(i).checkpoint() != null) return inTransaction.get(i).checkpoint();
    }
    return null;
  }

  /** The group refused the offsets: this member's generation or membership is not the group's. */
  private static boolean refusedByGroup(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CommitFailedException || t instanceof FencedInstanceIdException) return true;
    }
    return false;
  }

  /**
   * Aborts the refused transaction and sends its rows again in a new one, unless a partition
   * of it has moved meanwhile. Refusals for longer than the job's timeout fail the job: the
   * reader has not caught up with its group in that time.
   */
  private void replay(KafkaException refused) throws IOException {
    abortedThrough = transaction;
    producer.abortTransaction();
    transactionOpen = false;
    long now = System.currentTimeMillis();
    if (refusedSince == 0) refusedSince = now;
    if (now - refusedSince > waits.bound().toMillis()) {
      throw new GroupMember.FencedException("the consumer group of this job's source refused "
          + "its offsets for " + (now - refusedSince) / 1000 + " s (" + refused.getMessage()
          + "); the transaction was aborted and its rows are read again; running the job again "
          + "rejoins the group and goes on from the committed offsets");
    }
    requireOwned();
    begin();
    for (Written w : inTransaction) sendInTransaction(w.records());
  }

  /**
   * Fails the job, after aborting the open transaction, when a batch in it comes from a
   * partition that is no longer this member's (or was revoked and assigned again since).
   */
  private void requireOwned() throws IOException {
    for (Written w : inTransaction) {
      KafkaCheckpoint c = w.checkpoint();
      if (c == null || c.stillOwned()) continue;
      if (transactionOpen) {
        abortedThrough = transaction;
        producer.abortTransaction();
        transactionOpen = false;
      }
      throw new GroupMember.FencedException("partition " + c.partition
          + " moved to another member of group_id=" + c.groupId + " while this job's transaction "
          + "held rows of it (paused past session.timeout.ms?); the transaction was aborted and "
          + "the new owner reads those rows again; running the job again rejoins the group and goes on from the committed offsets");
    }
  }

  private List<ProducerRecord<byte[], byte[]>> encode(VectorSchemaRoot batch, RecordEncoder encoder)
      throws IOException {
    int rows = batch.getRowCount();
    if (encoder == null) {
      if (rows == 0) return List.of();
      return List.of(new ProducerRecord<>(config.topic(), ArrowRecords.encode(batch, schema)));
    }
    encoder.encode(batch);
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(rows);
    FieldVector keys = keyIndex < 0 ? null : batch.getVector(keyIndex);
    for (int row = 0; row < rows; row++) {
      byte[] key = keys == null ? null : RecordEncoder.keyText(keys, keyType, row);
      out.add(new ProducerRecord<>(config.topic(), key, encoder.value(row)));
    }
    return out;
  }

  /** A record encoder for this sink's format (one per thread: it keeps state); null for arrow. */
  private RecordEncoder newEncoder() throws IOException {
    switch (config.format()) {
      case JSONL: return RecordEncoder.jsonl(schema);
      case CSV: return RecordEncoder.csv(schema);
      default: return null;
    }
  }

  private void check() throws IOException {
    Exception e = failure.get();
    if (e != null) throw describe(e);
  }

  /** Records {@code e} unless a failure came first, and describes the first one. */
  private IOException failed(KafkaException e) {
    failure.compareAndSet(null, e);
    return describe(failure.get());
  }

  /** A timeout is the broker not answering (at start or lost); anything else, what Kafka said. */
  private IOException describe(Exception e) {
    if (e instanceof TimeoutException) {
      return KafkaClients.unreachable(config.bootstrapServers(), waits.bound(), e);
    }
    return new IOException("Kafka did not take rows for topic=" + config.topic() + ": "
        + e.getMessage(), e);
  }

  /** Bounded: records expire after delivery.timeout.ms, transaction calls after max.block.ms. */
  @Override
  public void flush() throws IOException {
    if (producer == null) return;
    check();
    try {
      if (config.exactlyOnce()) {
        commitTransaction();
        // refused and sent again ({@link #replay}): commit once the reader has seen its group's
        // new generation, or fail after the job's timeout
        while (transactionOpen) {
          pause(REPLAY_PAUSE_MS);
          commitTransaction();
        }
      } else {
        producer.flush();
      }
    } catch (KafkaException e) {
      throw failed(e);
    }
    check();
  }

  /**
   * After a clean flush, closes the producer. Otherwise (the job failed) nothing left counts:
   * an open transaction is aborted, unless the broker has stopped answering (then the rerun's
   * initTransactions aborts it, and waiting here would only delay the failure), and
   * unacknowledged records are dropped.
   */
  @Override
  public void close() throws IOException {
    if (producer == null) return;
    boolean interrupted = Thread.interrupted(); // a stopped job still closes its producer cleanly
    boolean brokerGone = failure.get() instanceof TimeoutException;
    boolean clean = failure.get() == null && !transactionOpen && unacked() == 0;
    try {
      if (transactionOpen && !brokerGone) {
        try {
          producer.abortTransaction();
        } catch (KafkaException ignored) {
          // a restarted job's initTransactions aborts it anyway
        }
      }
    } finally {
      producer.close(clean ? waits.bound() : Duration.ZERO);
      producer = null;
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  private static void pause(long ms) throws IOException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("stopped while committing a transaction again");
    }
  }

  private int unacked() {
    synchronized (inFlight) {
      return inFlight.size();
    }
  }
}
