package io.sabot.kafka;

import io.sabot.graph.ConnectorSpec;
import io.sabot.graph.OperatorParameters;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * A kafka_topic SINK, its defaults written out.
 *
 * @param keyColumn       the column whose text keys each record (jsonl, csv); null: no key
 * @param exactlyOnce     {@code delivery: exactly_once}: rows and source offsets in one
 *                        transaction; else at-least-once (offsets committed after acks)
 * @param transactionalId stable across restarts, so a restarted job fences and aborts the
 *                        transaction its killed predecessor left open; null without
 *                        exactly-once (a producer that is not transactional has none)
 * @param partitions      partitions of the topic when the sink creates it (it does when the
 *                        topic does not exist; an existing topic is used as it is); default 1
 * @param replicationFactor replicas of a topic the sink creates; null: the broker's
 *                        default.replication.factor
 */
public record KafkaSinkSpec(String topic, String bootstrapServers, String format,
                            String keyColumn, Map<String, String> properties, boolean exactlyOnce,
                            String transactionalId, int partitions, Integer replicationFactor)
    implements ConnectorSpec {
  static final List<String> PARAMETERS = List.of("kafka_topic", "bootstrap_servers", "format",
      "key", "properties", "delivery", "partitions", "replication_factor");

  public KafkaSinkSpec {
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
  }

  @Override
  public Map<String, Object> toParameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kafka_topic", topic);
    m.put("bootstrap_servers", bootstrapServers);
    m.put("format", format);
    if (keyColumn != null) m.put("key", keyColumn);
    Map<String, String> props = new LinkedHashMap<>(properties);
    if (transactionalId != null) props.put("transactional.id", transactionalId);
    if (!props.isEmpty()) m.put("properties", props);
    m.put("delivery", exactlyOnce ? "exactly_once" : "at_least_once");
    m.put("partitions", partitions);
    if (replicationFactor != null) m.put("replication_factor", replicationFactor);
    return m;
  }

  /**
   * The same sink with {@code suffix} added to its transactional id (exactly-once only): each
   * agent its own producer, fencing only its own earlier life; the consumer group's member id
   * and generation, sent with the offsets, fence the rest (a zombie).
   */
  public KafkaSinkSpec withTransactionalIdSuffix(String suffix) {
    if (transactionalId == null) return this;
    return new KafkaSinkSpec(topic, bootstrapServers, format, keyColumn, properties, exactlyOnce,
        transactionalId + "-" + suffix, partitions, replicationFactor);
  }

  /** The same sink with {@code extra} client settings (an agent's connection settings). */
  public KafkaSinkSpec withProperties(Map<String, String> extra) {
    Map<String, String> all = new LinkedHashMap<>(properties);
    all.putAll(extra);
    return new KafkaSinkSpec(topic, bootstrapServers, format, keyColumn, all, exactlyOnce,
        transactionalId, partitions, replicationFactor);
  }

  static KafkaSinkSpec parse(OperatorParameters p) {
    String topic = p.text("kafka_topic", "");
    RecordFormat format = RecordFormat.of(p);
    String key = p.text("key", null);
    if (key != null && format == RecordFormat.ARROW) {
      p.problem("key", "is not used with format=arrow: a record holds a whole batch, not one row");
    }
    boolean exactlyOnce = p.choice("delivery", "at_least_once", "at_least_once", "exactly_once")
        .equals("exactly_once");
    Map<String, String> properties = p.settings("properties", "{linger.ms: 5}");
    checkWaits(p, properties);
    String txId = !exactlyOnce ? null
        : properties.getOrDefault("transactional.id", "sabot-" + p.operator() + "-" + topic);
    Map<String, String> rest = new LinkedHashMap<>(properties);
    rest.remove("transactional.id");
    int partitions = p.positiveInt("partitions", 1);
    Integer replication = null;
    if (p.has("replication_factor")) {
      long r = p.count("replication_factor", 1);
      if (r < 1 || r > Short.MAX_VALUE) {
        p.problem("replication_factor", "value=" + p.raw("replication_factor") + " must be a whole "
            + "number from 1 to " + Short.MAX_VALUE + " (at most the number of brokers); leave it "
            + "out to use the broker's default.replication.factor");
      } else {
        replication = (int) r;
      }
    }
    KafkaSinkSpec spec = new KafkaSinkSpec(topic, p.text("bootstrap_servers",
        KafkaSourceSpec.DEFAULT_BOOTSTRAP), format.jobName(), key, rest, exactlyOnce, txId,
        partitions, replication);
    return p.isValid() ? spec : null;
  }

  /** The producer's waits are whole milliseconds, and delivery covers linger + request. */
  private static void checkWaits(OperatorParameters p, Map<String, String> properties) {
    boolean numbers = true;
    for (String key : List.of("default.api.timeout.ms", ProducerConfig.MAX_BLOCK_MS_CONFIG,
        ProducerConfig.LINGER_MS_CONFIG, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)) {
      String v = properties.get(key);
      if (v == null) continue;
      try {
        if (Long.parseLong(v.trim()) < 0) throw new NumberFormatException();
      } catch (NumberFormatException e) {
        p.problem("properties", key + "=" + v + " must be a whole number of milliseconds");
        numbers = false;
      }
    }
    if (!numbers) return;
    KafkaClients.ProducerWaits w = KafkaClients.ProducerWaits.of(properties);
    if (w.deliveryMs() < w.lingerMs() + w.requestMs()) {
      p.problem("properties", "delivery.timeout.ms=" + w.deliveryMs() + " must be at least "
          + "linger.ms + request.timeout.ms = " + w.lingerMs() + " + " + w.requestMs());
    }
  }
}
