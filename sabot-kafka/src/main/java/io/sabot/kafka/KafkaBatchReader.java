package io.sabot.kafka;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ReadContext;
import io.sabot.connect.ReadStatus;
import io.sabot.types.Schema;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;

/**
 * Reads a topic as a stream: one consumer assigned every partition, each Arrow batch from one
 * partition in offset order (so order is kept per partition), decoding only the projected
 * columns. Offsets are committed to the source's group only for batches the sink has durably
 * written ({@link #delivered}), from this reader's thread (a KafkaConsumer is single-threaded):
 *
 * <pre>
 *   poll ─► records of partition p ─► TopicDecoder ─► batch + checkpoint{p: next offset, ...}
 *        ─► executor ─► sink acks ─► delivered(checkpoint) ─► queue ─► commit on the next poll
 * </pre>
 *
 * {@code bounded: true} stops at the end offsets seen at start. Waiting for records, the reader
 * checks after {@link #probeAfterMs} of silence that the broker still answers, and fails the job clearly when
 * it does not.
 */
final class KafkaBatchReader implements BatchReader {
  static final Duration POLL = Duration.ofMillis(200);
  static final long PROBE_EVERY = 10_000;
  /** How often delivered offsets are committed, unless the job's auto.commit.interval.ms says. */
  static final long COMMIT_EVERY_MS = 500;
  /** How often a bounded member whose share is done asks whether the group's job is. */
  static final long GROUP_CHECK_MS = 1_000;
  /** How often the partitions owned and their lag are published ({@link #publishStatus}). */
  static final long STATUS_EVERY_MS = 1_000;

  /** An arrow batch decoded under the lock, its position, and the partition it came from. */
  private record Pending(VectorSchemaRoot batch, KafkaCheckpoint checkpoint,
                         TopicPartition partition) {}

  /**
   * One partition's arrow records of a poll, decoded a batch at a time as {@link #next} asks,
   * and the next record to decode. (Between calls, handled already holds the offset after the
   * last record decoded: a call returns early only once that record's batch was emitted.)
   */
  private static final class ArrowRun {
    final TopicPartition partition;
    final List<ConsumerRecord<byte[], ByteBuffer>> records;
    int next;

    ArrowRun(TopicPartition partition, List<ConsumerRecord<byte[], ByteBuffer>> records) {
      this.partition = partition;
      this.records = records;
    }
  }

  /**
   * Up to a batch of one partition's text records (jsonl, csv), not decoded yet, and the
   * position after them. The values are slices of the fetched bytes; the consumer never reuses
   * them, so a worker may decode them after later polls.
   */
  private record Slice(List<ConsumerRecord<byte[], ByteBuffer>> records, KafkaCheckpoint checkpoint) {}

  private final KafkaSourceConfig config;
  private final Duration timeout;
  private final long commitEveryMs;
  private final KafkaConsumer<byte[], ByteBuffer> consumer;
  private final TopicDecoder decoder;
  private final RecordRejects rejects;
  /** The partitions this reader owns: every one, or (assignment: group) the group's share. */
  private final List<TopicPartition> partitions;
  /** Which partitions are this reader's since which batch, and as which group member. */
  private final GroupMember member;
  /**
   * Batches cut so far, never counted back (unlike {@link #emitted}, which forgets batches
   * dropped on a revocation): a checkpoint's sequence, to tell which assignment it saw.
   */
  private long cuts;
  private boolean assignedOnce;
  private final Map<TopicPartition, Long> handled = new HashMap<>();
  /** While a partition's records are decoded: that partition, and the offset after the record. */
  private TopicPartition decoding;
  private long decodingNext = -1;
  private final Map<TopicPartition, Long> endOffsets = new HashMap<>();
  /** Bounded, in a group: every partition's end at open, which the group must commit to end. */
  private final Map<TopicPartition, Long> jobEnd = new HashMap<>();
  private long lastGroupCheckMs;
  private final Set<TopicPartition> done = new HashSet<>();
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  /** Arrow records polled and not decoded yet, by partition in the poll's order. */
  private final ArrayDeque<ArrowRun> undecoded = new ArrayDeque<>();
  private final ArrayDeque<Slice> slices = new ArrayDeque<>();
  /** Decoders of text records for the workers' decode (one per decode in progress). */
  private final ConcurrentLinkedQueue<TopicDecoder> idleDecoders = new ConcurrentLinkedQueue<>();
  private final Schema fields;
  private final ReadContext context;
  private final ConcurrentLinkedQueue<KafkaCheckpoint> deliveredQueue = new ConcurrentLinkedQueue<>();
  private KafkaCheckpoint lastCheckpoint;
  private KafkaCheckpoint lastDelivered;
  private KafkaCheckpoint lastCommitted;
  private long emitted;
  private long delivered;
  private long lastCommitMs;
  private long lastStatusMs;
  private long lastContactMs = System.currentTimeMillis();
  private boolean failed;
  private boolean closed;
  /**
   * While close commits (null otherwise): the offsets it has yet to commit, delivered and past
   * the last batch; a partition revoked meanwhile gets its own from here, not only the delivered.
   */
  private Map<TopicPartition, OffsetAndMetadata> closing;
  private volatile boolean stopRequested;

  private KafkaBatchReader(KafkaSourceConfig config, Schema fields, ReadContext context,
                           KafkaConsumer<byte[], ByteBuffer> consumer) throws IOException {
    this.config = config;
    this.timeout = KafkaClients.timeout(config.properties());
    String every = config.properties().get("auto.commit.interval.ms");
    this.commitEveryMs = every == null ? COMMIT_EVERY_MS : Long.parseLong(every.trim());
    this.consumer = consumer;
    this.fields = fields;
    this.context = context;
    this.decoder = new TopicDecoder(config.format(), fields, context.columns(), context.allocator(),
        context.batchSize());
    this.rejects = new RecordRejects(config, context.rejecter());
    this.member = new GroupMember(config.groupId());
    List<TopicPartition> all = KafkaClients.partitions(consumer, config.topic(),
        config.bootstrapServers(), timeout)
        .stream().map(i -> new TopicPartition(i.topic(), i.partition()))
        .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
        .collect(Collectors.toList());
    if (config.groupAssignment()) {
      if (context.resumeFrom() != null) {
        throw new IOException("operator=" + config.operator() + " parameter=assignment value=group "
            + "shares the topic's partitions with other consumers, so a sink cannot keep one "
            + "position for all of them (exactly-once file output); use a Kafka sink, or "
            + "assignment: all");
      }
      this.partitions = new ArrayList<>(); // filled as the group assigns them
      if (config.bounded()) {
        try {
          jobEnd.putAll(consumer.endOffsets(all, timeout));
        } catch (TimeoutException e) {
          throw KafkaClients.unreachable(config.bootstrapServers(), timeout, e);
        }
      }
      consumer.subscribe(List.of(config.topic()), new GroupAssignment());
      return;
    }
    this.partitions = all;
    for (TopicPartition tp : all) member.assigned(tp, 0);
    context.owned().add(CoPartitions.numbers(all)); // what co-partitioned feeds read
    try {
      consumer.assign(partitions);
      seekToStart();
      if (context.resumeFrom() != null) seekToKept(context.resumeFrom());
      for (TopicPartition tp : partitions) handled.put(tp, consumer.position(tp, timeout));
      if (config.bounded()) endOffsets.putAll(consumer.endOffsets(partitions, timeout));
    } catch (TimeoutException e) {
      throw KafkaClients.unreachable(config.bootstrapServers(), timeout, e);
    }
    updateDone();
  }

  static KafkaBatchReader open(KafkaSourceConfig config, Schema fields, ReadContext context)
      throws IOException {
    String reset = config.start().equals("latest") ? "latest" : "earliest";
    Map<String, String> settings = new HashMap<>();
    if (config.groupAssignment()) {
      // only the partitions that move are revoked when a consumer joins or leaves
      settings.put("partition.assignment.strategy",
          "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    }
    settings.putAll(config.properties());
    KafkaConsumer<byte[], ByteBuffer> consumer = KafkaClients.consumer(config.bootstrapServers(),
        config.groupId(), "sabot-" + config.operator(), reset, settings,
        new ByteBufferDeserializer()); // values decoded where they were fetched, not copied
    try {
      return new KafkaBatchReader(config, fields, context, consumer);
    } catch (IOException | RuntimeException e) {
      consumer.close(Duration.ZERO);
      throw e;
    }
  }

  private void seekToStart() {
    switch (config.start()) {
      case "earliest":
        consumer.seekToBeginning(partitions);
        break;
      case "latest":
        consumer.seekToEnd(partitions);
        break;
      default: // committed, else the beginning
        Map<TopicPartition, OffsetAndMetadata> committed =
            consumer.committed(new HashSet<>(partitions), timeout);
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition tp : partitions) {
          OffsetAndMetadata o = committed.get(tp);
          if (o == null) {
            fresh.add(tp);
          } else {
            consumer.seek(tp, o.offset());
          }
        }
        if (!fresh.isEmpty()) consumer.seekToBeginning(fresh);
    }
  }

  /**
   * The sink keeps rows up to this position with its output (exactly-once file): start each
   * partition it names there, whatever the group committed, so no row is written twice.
   */
  private void seekToKept(String position) throws IOException {
    for (Map.Entry<TopicPartition, Long> e : KafkaCheckpoint.decode(position, config.topic()).entrySet()) {
      if (partitions.contains(e.getKey())) consumer.seek(e.getKey(), e.getValue());
    }
  }

  /**
   * Text records (jsonl, csv) are cut into slices of up to a batch here, under the partition's
   * lock, and decoded by the workers ({@link Undecoded#decode()}): a topic's records then decode
   * on every core, though one consumer reads them. Arrow records are decoded here (a record is
   * a whole batch; decoding it copies its buffers), about a batch a call ({@link #next}).
   *
   * <pre>
   *   poll ─► records of partition p ─► slices of batch_size records, each with the position
   *           after it ─► worker: TopicDecoder ─► batch (empty when every record was rejected)
   * </pre>
   */
  @Override
  public Undecoded nextUndecoded() throws IOException {
    if (config.format() == RecordFormat.ARROW) return BatchReader.super.nextUndecoded();
    try {
      while (true) {
        commitDelivered(false);
        Slice s = slices.poll();
        if (s != null) {
          lastCheckpoint = s.checkpoint();
          return () -> decode(s);
        }
        if (!pollInto(this::slice)) return null; // slices not handed out are read again next run
      }
    } catch (IOException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  /** What a poll's records of one partition become: slices (text) or decoded batches (arrow). */
  @FunctionalInterface
  private interface PartitionRecords {
    void take(TopicPartition tp, List<ConsumerRecord<byte[], ByteBuffer>> records)
        throws IOException;
  }

  /**
   * One poll, its records of each partition handed to {@code into}; false, without polling, when
   * the input is over (bounded and at its end) or a stop was asked for.
   */
  private boolean pollInto(PartitionRecords into) throws IOException {
    if (config.bounded() && finished() && (!config.groupAssignment() || groupFinished())) {
      return false;
    }
    if (stopRequested) return false;
    ConsumerRecords<byte[], ByteBuffer> records = consumer.poll(POLL);
    if (config.groupAssignment()) member.update(consumer.groupMetadata());
    if (records.isEmpty()) {
      probe();
    } else {
      lastContactMs = System.currentTimeMillis();
      for (TopicPartition tp : records.partitions()) into.take(tp, records.records(tp));
    }
    updateDone();
    publishStatus();
    return true;
  }

  /**
   * About once a second, after a poll: the partitions owned now and their lag, for the job's
   * progress (an agent's reports and metrics). currentLag is the end offset of the last fetch
   * minus the position, known without a request; a partition not fetched yet counts 0.
   */
  private void publishStatus() {
    long now = System.currentTimeMillis();
    if (now - lastStatusMs < STATUS_EVERY_MS) return;
    lastStatusMs = now;
    List<Integer> owned = new ArrayList<>(partitions.size());
    long lag = 0;
    for (TopicPartition tp : partitions) {
      owned.add(tp.partition());
      lag += consumer.currentLag(tp).orElse(0);
    }
    context.status().publish(new ReadStatus.Snapshot(Map.of(config.topic(), owned), lag));
  }

  /**
   * Bounded, in a group (agents): whether the group has committed every partition's end. A
   * member whose own share is done goes on polling until then, its partitions paused at their
   * end: leaving at once would strand the partitions of a member that fails afterwards (no one
   * left to take them over), and a member given no partition would end before the job has.
   * Checked about once a second (a request to the broker); first this member commits the end of
   * its own share, rejected records after its last batch included.
   */
  private boolean groupFinished() throws IOException {
    long now = System.currentTimeMillis();
    if (now - lastGroupCheckMs < GROUP_CHECK_MS) return false;
    lastGroupCheckMs = now;
    try {
      commitDelivered(true);
      Map<TopicPartition, OffsetAndMetadata> tail = ownTail();
      rejects.flush(); // the tail may be rejected records: their dead letters first
      if (!tail.isEmpty()) consumer.commitSync(tail, timeout);
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(jobEnd.keySet(), timeout);
      for (Map.Entry<TopicPartition, Long> e : jobEnd.entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        if (e.getValue() > 0 && (c == null || c.offset() < e.getValue())) return false;
      }
      return true;
    } catch (RebalanceInProgressException | CommitFailedException | TimeoutException e) {
      // not yet: a rebalance the next poll completes, a member the next poll rejoins, or offsets
      // of a killed agent's open transaction (the broker answers once it is aborted)
      return false;
    }
  }

  /**
   * When every batch handed out is durable and nothing failed: the offsets after everything
   * read of the partitions owned (past rejected records and transaction markers, which no
   * batch's position covers); else none. Also with a sink that commits offsets in its
   * transactions: every batch durable means every transaction holding their rows is committed,
   * so these offsets only move the group on past what no batch carried.
   */
  private Map<TopicPartition, OffsetAndMetadata> ownTail() {
    drainDelivered();
    if (failed || delivered != emitted || handled.isEmpty()) return Map.of();
    Map<TopicPartition, Long> mine = new HashMap<>(handled);
    mine.keySet().retainAll(partitions);
    return offsets(mine);
  }

  /** Bounded: every partition owned has reached its end (in a group, once some were assigned). */
  private boolean finished() {
    return (assignedOnce || !config.groupAssignment()) && done.size() == partitions.size();
  }

  /** Cuts one partition's records of a poll into slices of up to a batch. */
  private void slice(TopicPartition tp, List<ConsumerRecord<byte[], ByteBuffer>> records) {
    long end = config.bounded() ? endOffsets.getOrDefault(tp, 0L) : Long.MAX_VALUE;
    int n = 0;
    while (n < records.size() && records.get(n).offset() < end) n++;
    int batch = context.batchSize();
    for (int from = 0; from < n; from += batch) {
      int to = Math.min(n, from + batch);
      handled.put(tp, records.get(to - 1).offset() + 1);
      slices.add(new Slice(records.subList(from, to), cut(tp)));
      emitted++;
    }
    if (config.bounded() && handled.get(tp) >= end) consumer.pause(List.of(tp));
  }

  /**
   * On a worker: the slice's records as one batch; rejected records go to the dead letters,
   * which are durable before the batch (and so its position) goes on.
   */
  private VectorSchemaRoot decode(Slice s) throws IOException {
    TopicDecoder d = idleDecoders.poll();
    if (d == null) {
      d = new TopicDecoder(config.format(), fields, context.columns(), context.allocator(),
          context.batchSize());
    }
    List<VectorSchemaRoot> out = new ArrayList<>(1);
    boolean rejected = false;
    try {
      for (ConsumerRecord<byte[], ByteBuffer> r : s.records()) {
        String reason = d.add(r.value(), out::add);
        if (reason != null) {
          rejects.rejectBuffer(r, reason);
          rejected = true;
        }
      }
      d.flush(out::add);
      if (rejected) rejects.flush();
    } catch (IOException | RuntimeException e) {
      d.close();
      out.forEach(VectorSchemaRoot::close);
      throw e;
    }
    idleDecoders.add(d);
    if (out.size() == 1) return out.get(0);
    if (out.isEmpty()) { // every record rejected: an empty batch still carries the position
      VectorSchemaRoot empty = context.columns().newBatch(context.allocator());
      empty.setRowCount(0);
      return empty;
    }
    out.forEach(VectorSchemaRoot::close);
    throw new IllegalStateException("Internal error: a slice of " + s.records().size()
        + " records decoded into " + out.size() + " batches of at most " + context.batchSize()
        + " rows; this is a bug in Sabot; please report it");
  }

  @Override
  public VectorSchemaRoot next() throws IOException {
    if (config.format() != RecordFormat.ARROW) {
      Undecoded input = nextUndecoded();
      return input == null ? null : input.decode();
    }
    try {
      while (true) {
        commitDelivered(false);
        Pending p = pending.poll();
        if (p != null) {
          // dead letters before the position past them leaves this reader: a sink may keep that
          // position (exactly-once file) before the source commits anything
          rejects.flush();
          lastCheckpoint = p.checkpoint();
          return p.batch();
        }
        if (!undecoded.isEmpty()) {
          decodeABatch(undecoded.peek());
          continue;
        }
        // records not decoded yet, and batches not returned, are read again next run
        if (!pollInto((tp, records) -> undecoded.add(new ArrowRun(tp, records)))) return null;
      }
    } catch (IOException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  /**
   * Decodes {@code run}'s records until a batch is cut or its records end (then the decoder's
   * last rows are cut too, and the run is done). A call decodes about a batch, not a whole
   * poll: the workers take turns at this under the partition's lock, and a poll is megabytes,
   * which one worker decoded while the other waited for the lock.
   */
  private void decodeABatch(ArrowRun run) throws IOException {
    TopicPartition tp = run.partition;
    long end = config.bounded() ? endOffsets.getOrDefault(tp, 0L) : Long.MAX_VALUE;
    // The position after the record being decoded, kept in fields (put into handled when a
    // batch is emitted, and once at the run's end) rather than a map update per record.
    decoding = tp;
    try {
      while (run.next < run.records.size() && pending.isEmpty()) {
        ConsumerRecord<byte[], ByteBuffer> r = run.records.get(run.next);
        if (r.offset() >= end) {
          run.next = run.records.size();
          break;
        }
        run.next++;
        decodingNext = r.offset() + 1;
        String reason = decoder.add(r.value(), this::emit);
        if (reason != null) rejects.rejectBuffer(r, reason);
      }
      if (run.next < run.records.size()) return;
      undecoded.poll();
      decoder.flush(this::emit);
      if (decodingNext >= 0) handled.put(tp, decodingNext);
    } finally {
      decoding = null;
      decodingNext = -1;
    }
    if (config.bounded() && handled.get(tp) >= end) consumer.pause(List.of(tp));
    // before the next poll, which would wait for records a done input never gets
    if (undecoded.isEmpty()) updateDone();
  }

  private void emit(VectorSchemaRoot batch) {
    if (decoding != null && decodingNext >= 0) handled.put(decoding, decodingNext);
    pending.add(new Pending(batch, cut(decoding), decoding));
    emitted++;
  }

  /** The position after the batch being cut from {@code tp}: every partition's next offset. */
  private KafkaCheckpoint cut(TopicPartition tp) {
    return new KafkaCheckpoint(config.groupId(), new HashMap<>(handled), cuts++, tp, member);
  }

  /** Records of {@code tp} were polled (its position is past them) but not decoded yet. */
  private boolean undecodedOf(TopicPartition tp) {
    for (ArrowRun run : undecoded) if (run.partition.equals(tp)) return true;
    return false;
  }

  private void updateDone() {
    if (!config.bounded()) return;
    for (TopicPartition tp : partitions) {
      if (done.contains(tp)) continue;
      long end = endOffsets.getOrDefault(tp, 0L);
      if (handled.get(tp) >= end) {
        done.add(tp);
      } else if (consumer.position(tp, timeout) >= end && !undecodedOf(tp)) {
        // Fetched past the end, and every record before it was cut: what is left are
        // transaction markers (a topic written by an exactly-once job ends with one) or
        // aborted records, which no batch carries
        handled.put(tp, end);
        done.add(tp);
      }
    }
  }

  /**
   * How long the reader waits without records before asking the broker whether it still
   * answers: half the job's timeout (at most {@link #PROBE_EVERY}), so that a broker lost while
   * the job waits fails it within 1.5 x default.api.timeout.ms.
   */
  long probeAfterMs() {
    return Math.min(PROBE_EVERY, timeout.toMillis() / 2);
  }

  /** No records: after {@link #probeAfterMs} of silence, check that the broker still answers. */
  private void probe() throws IOException {
    long now = System.currentTimeMillis();
    if (now - lastContactMs < probeAfterMs()) return;
    try {
      consumer.endOffsets(partitions, timeout);
      lastContactMs = now;
    } catch (TimeoutException e) {
      throw new IOException("lost Kafka at bootstrap_servers=" + config.bootstrapServers()
          + ": no answer within " + timeout.toMillis() / 1000.0 + " s while reading topic="
          + config.topic(), e);
    }
  }

  /**
   * Commits the newest delivered checkpoint (every {@link #COMMIT_EVERY_MS}, or the job's
   * {@code auto.commit.interval.ms}: Kafka's own auto-commit is off, Sabot commits what is durable).
   */
  private void commitDelivered(boolean now) throws IOException {
    drainDelivered();
    if (lastDelivered == null || lastDelivered == lastCommitted) return;
    long t = System.currentTimeMillis();
    if (!now && t - lastCommitMs < commitEveryMs) return;
    KafkaCheckpoint target = lastDelivered;
    lastCommitted = target;
    lastCommitMs = t;
    if (target.committedBySink) return;
    rejects.flush();
    // of the partitions owned since the checkpoint was cut: a partition revoked, then assigned
    // here again, must not get an offset from before (the records in between were another's)
    Map<TopicPartition, OffsetAndMetadata> offsets = target.ownedOffsets();
    if (offsets.isEmpty()) return;
    if (now) {
      consumer.commitSync(offsets, timeout);
    } else {
      consumer.commitAsync(offsets, null);
    }
  }

  private void drainDelivered() {
    KafkaCheckpoint c;
    while ((c = deliveredQueue.poll()) != null) {
      lastDelivered = c;
      delivered++;
    }
  }

  static Map<TopicPartition, OffsetAndMetadata> offsets(Map<TopicPartition, Long> next) {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    next.forEach((tp, o) -> out.put(tp, new OffsetAndMetadata(o)));
    return out;
  }

  @Override
  public Object checkpoint() {
    return lastCheckpoint;
  }

  /** Ends {@link #next()} after the poll under way (at most {@link #POLL}). */
  @Override
  public void stop() {
    stopRequested = true;
  }

  @Override
  public void delivered(Object checkpoint) {
    deliveredQueue.add((KafkaCheckpoint) checkpoint);
  }

  /**
   * Commits what the sink has durably, and, when every batch was delivered and nothing failed,
   * also the records after the last batch (rejected ones), then closes the consumer.
   */
  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    boolean interrupted = Thread.interrupted(); // a stopped job still commits what it delivered
    try {
      decoder.close();
      pending.forEach(p -> p.batch().close());
      pending.clear();
      undecoded.clear();
      slices.clear();
      idleDecoders.forEach(TopicDecoder::close);
      drainDelivered();
      rejects.flush();
      Map<TopicPartition, OffsetAndMetadata> last = new HashMap<>();
      if (lastDelivered != null && lastDelivered != lastCommitted && !lastDelivered.committedBySink) {
        last.putAll(lastDelivered.ownedOffsets());
      }
      last.putAll(ownTail()); // at or past the delivered offsets
      commitThroughRebalance(last);
      // committed: leaving the group below revokes the partitions, and the revocation must not
      // commit the delivered offsets again, behind a tail just committed
      lastCommitted = lastDelivered;
    } catch (KafkaException e) {
      throw new IOException("cannot commit offsets of topic=" + config.topic() + " for group_id="
          + config.groupId() + ": " + e.getMessage(), e);
    } finally {
      rejects.close();
      consumer.close(timeout);
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /**
   * commitSync of {@code offsets} at close, after a rebalance under way (another member joining
   * or leaving; it refuses commits meanwhile) has completed: polls with every partition paused
   * (no records) until it has, then commits what this member still owns; a partition revoked
   * meanwhile was committed by the revocation, from {@link #closing}.
   */
  private void commitThroughRebalance(Map<TopicPartition, OffsetAndMetadata> offsets) {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    Map<TopicPartition, OffsetAndMetadata> left = new HashMap<>(offsets);
    closing = left;
    try {
      while (!left.isEmpty()) {
        try {
          consumer.commitSync(left, timeout);
          return;
        } catch (RebalanceInProgressException e) {
          if (System.currentTimeMillis() > deadline) throw e;
          consumer.pause(consumer.assignment());
          consumer.poll(Duration.ofMillis(100));
          left.keySet().retainAll(partitions);
        }
      }
    } finally {
      closing = null;
    }
  }

  /** For tests and messages: the partitions read. */
  Collection<TopicPartition> partitions() {
    return partitions;
  }

  /**
   * {@code assignment: group}: partitions come and go as consumers of the group join and leave
   * (cooperative-sticky: only the partitions that move are revoked). Runs inside
   * {@code poll}, on the thread reading this source.
   *
   * <pre>
   *   assigned  start where the group committed (else at start's choice); bounded: its end now
   *   revoked   wait until every batch handed out is durable (bounded by the job's timeout),
   *             commit, then forget the partition: batches cut but not handed out are dropped
   *             and read again by the new owner from the committed offset
   *   lost      (this member was dropped from the group) forget without committing
   * </pre>
   */
  private final class GroupAssignment implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      member.update(consumer.groupMetadata());
      for (TopicPartition tp : assigned) {
        partitions.add(tp);
        member.assigned(tp, cuts);
        handled.put(tp, consumer.position(tp, timeout));
      }
      partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
      if (config.bounded() && !assigned.isEmpty()) {
        endOffsets.putAll(consumer.endOffsets(assigned, timeout));
      }
      assignedOnce = true;
      updateDone();
      context.owned().add(CoPartitions.numbers(assigned)); // before a batch of them is handed out
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      if (revoked.isEmpty()) return;
      // the generation that revokes: the sink's transactions committed meanwhile carry it
      member.update(consumer.groupMetadata());
      if (!closed) awaitHandedOut(); // at close, nothing more will be delivered
      try {
        if (closing != null) {
          Map<TopicPartition, OffsetAndMetadata> mine = new HashMap<>(closing);
          mine.keySet().retainAll(revoked);
          if (!mine.isEmpty()) consumer.commitSync(mine, timeout);
        } else {
          commitDelivered(true);
        }
      } catch (IOException | RuntimeException e) {
        // the new owner starts from the last commit: rows read again, none lost
      }
      forget(revoked);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      forget(lost);
    }
  }

  /** Waits until the sink has every batch handed out so far durably, at most the job's timeout. */
  private void awaitHandedOut() {
    long handedOut = emitted - slices.size() - pending.size();
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    while (true) {
      drainDelivered();
      if (delivered >= handedOut || failed || System.currentTimeMillis() > deadline) return;
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Drops a partition this reader no longer owns, and what it cut of it but did not hand out. */
  private void forget(Collection<TopicPartition> gone) {
    member.gone(gone); // first: no transaction may commit them from here on
    context.owned().remove(CoPartitions.numbers(gone));
    partitions.removeAll(gone);
    handled.keySet().removeAll(gone);
    endOffsets.keySet().removeAll(gone);
    done.removeAll(gone);
    undecoded.removeIf(run -> gone.contains(run.partition)); // none: a poll comes after the last run
    int before = slices.size() + pending.size();
    slices.removeIf(s -> gone.contains(new TopicPartition(config.topic(),
        s.records().get(0).partition())));
    pending.removeIf(p -> {
      boolean drop = gone.contains(p.partition());
      if (drop) p.batch().close();
      return drop;
    });
    emitted -= before - slices.size() - pending.size(); // never handed out: never delivered
  }
}
