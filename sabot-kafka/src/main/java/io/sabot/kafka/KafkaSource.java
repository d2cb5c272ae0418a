package io.sabot.kafka;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ChangelogSource;
import io.sabot.connect.KeyPartitioned;
import io.sabot.connect.OwnedPartitions;
import io.sabot.connect.ReadContext;
import io.sabot.connect.ReferenceFeed;
import io.sabot.connect.RestoreListener;
import io.sabot.connect.SourcePartition;
import io.sabot.connect.arrow.ArrowRecords;
import io.sabot.error.InvalidJobException;
import io.sabot.types.Schema;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A topic as a source ({@code kafka_topic}). As the stream input of a job it is read by a
 * {@link KafkaBatchReader} (one partition of the source holds every topic partition, each batch
 * from one of them); as the reference input of a join it is a changelog, kept live by a
 * {@link KafkaReferenceFeed}.
 *
 * <p>The schema is the declared one; for {@code format: arrow} without {@code schema} it is read
 * from the topic's first record when the source is created. A job creates each source once (its
 * {@code SourceCatalog}), so the topic is sampled once per job, and again for the next job, which
 * sees the topic as it is then.
 */
final class KafkaSource implements ChangelogSource, KeyPartitioned {
  private final KafkaSourceConfig config;
  private final Schema schema;

  KafkaSource(KafkaSourceConfig config) {
    this.config = config;
    this.schema = config.schema() != null ? config.schema()
        : sample(config);
  }

  KafkaSourceConfig config() {
    return config;
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public boolean isBounded() {
    return config.bounded();
  }

  /** The default {@code start: committed}: each run continues where the group's offsets are. */
  @Override
  public boolean resumesFromCommittedPositions() {
    return config.start().equals("committed");
  }

  @Override
  public String describe() {
    return "kafka_topic=" + config.topic() + " group_id=" + config.groupId() + " start="
        + config.start() + " bounded=" + config.bounded();
  }

  @Override
  public List<SourcePartition> partitions() {
    return List.of(new SourcePartition() {
      @Override
      public String description() {
        return "topic " + config.topic();
      }

      @Override
      public BatchReader open(ReadContext context) throws IOException {
        return KafkaBatchReader.open(config, schema, context);
      }
    });
  }

  @Override
  public ReferenceFeed openFeed(ReadContext context) throws IOException {
    return KafkaReferenceFeed.open(config, schema, context);
  }

  /** Keeping the rows in {@code snapshotDir} between runs ({@link ReferenceSnapshots}). */
  @Override
  public ReferenceFeed openFeed(ReadContext context, Path snapshotDir) throws IOException {
    return KafkaReferenceFeed.open(config, schema, context, null, snapshotDir, null);
  }

  /** As above, telling {@code restoring} what is restored once the snapshot verified. */
  @Override
  public ReferenceFeed openFeed(ReadContext context, Path snapshotDir, RestoreListener restoring)
      throws IOException {
    return KafkaReferenceFeed.open(config, schema, context, null, snapshotDir, restoring);
  }

  /** Co-partitioned: only the partitions numbered as the stream's that this process reads. */
  @Override
  public ReferenceFeed openFeed(ReadContext context, OwnedPartitions owned) throws IOException {
    return KafkaReferenceFeed.open(config, schema, context, owned);
  }

  @Override
  public int partitionCount() throws IOException {
    Duration timeout = KafkaClients.timeout(config.properties());
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(config.bootstrapServers(),
        null, "sabot-" + config.operator() + "-partitions", "earliest", config.properties())) {
      return KafkaClients.partitions(consumer, config.topic(), config.bootstrapServers(), timeout)
          .size();
    }
  }

  /** The schema of the topic's first record (format: arrow without schema). */
  private static Schema sample(KafkaSourceConfig config) {
    String where = "operator=" + config.operator() + " parameter=kafka_topic value=" + config.topic();
    Duration timeout = KafkaClients.timeout(config.properties());
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(config.bootstrapServers(),
        null, "sabot-" + config.operator() + "-schema", "earliest", config.properties())) {
      List<TopicPartition> partitions = KafkaClients.partitions(consumer, config.topic(),
          config.bootstrapServers(), timeout).stream().map(i -> new TopicPartition(i.topic(), i.partition()))
          .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
      long deadline = System.currentTimeMillis() + timeout.toMillis();
      while (System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() != null) return ArrowRecords.schema(r.value());
        }
        boolean atEnd = true;
        for (TopicPartition tp : partitions) atEnd &= consumer.position(tp) >= ends.get(tp);
        if (atEnd) break;
      }
      throw new InvalidJobException(where + " has no record to read the Arrow schema from; "
          + "declare schema");
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidJobException) throw (InvalidJobException) e;
      throw new InvalidJobException(where + ": cannot read the Arrow schema from the topic's "
          + "first record (" + e.getMessage() + "); declare schema");
    }
  }
}
