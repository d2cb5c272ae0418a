package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.exec.JobSummary;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka sink creates its missing topic with the job's {@code partitions} (the test broker would
 * otherwise auto-create it with one), leaves an existing topic as it is, and names the topic when
 * it cannot create it.
 */
@Tag("integration")
class SinkTopicIT {
  private static final String JOB = String.join("\n",
      "job_name: sink_topic",
      "operators:",
      "  - {name: numbers, type: SOURCE, parameters: {generator: quotes, rows: 500, reference_rows: 10}}",
      "  - {name: out, type: SINK, parameters: {kafka_topic: ${OUT}, bootstrap_servers: '${BOOTSTRAP}',",
      "      key: instrumentId, partitions: ${PARTITIONS}}}",
      "connect: [[numbers, out]]");

  @TempDir Path dir;

  private static TopicDescription describe(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        TestBroker.bootstrap()))) {
      return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    }
  }

  @Test
  void shouldCreateAMissingTopicWithTheJobsPartitionsAndWriteEveryRow() throws Exception {
    String out = TestBroker.topic("created");
    JobSummary s = Jobs.run(Jobs.write(dir, "job.yaml", JOB, Map.of("OUT", out,
        "BOOTSTRAP", TestBroker.bootstrap(), "PARTITIONS", "3")));
    assertEquals(500, s.rowsOut());
    assertEquals(3, describe(out).partitions().size());
    var records = TestBroker.readAll(out, 500, Duration.ofSeconds(30));
    assertEquals(500, records.size());
    Set<Integer> partitions = new HashSet<>();
    records.forEach(r -> partitions.add(r.partition()));
    assertEquals(Set.of(0, 1, 2), partitions, "keyed rows spread over the 3 partitions");
  }

  @Test
  void shouldLeaveAnExistingTopicAsItIs() throws Exception {
    String out = TestBroker.topic("existing");
    TestBroker.createTopic(out, 2, false);
    JobSummary s = Jobs.run(Jobs.write(dir, "job.yaml", JOB, Map.of("OUT", out,
        "BOOTSTRAP", TestBroker.bootstrap(), "PARTITIONS", "5")));
    assertEquals(500, s.rowsOut());
    assertEquals(2, describe(out).partitions().size(), "an existing topic is never changed");
    assertFalse(SinkTopic.ensure(config(out, 5, null), Duration.ofSeconds(30)));
  }

  @Test
  void shouldSayWhyATopicCannotBeCreated() {
    // one broker cannot hold three replicas
    String out = TestBroker.topic("unreplicable");
    IOException e = assertThrows(IOException.class,
        () -> SinkTopic.ensure(config(out, 1, 3), Duration.ofSeconds(30)));
    assertTrue(e.getMessage().startsWith("cannot create topic=" + out + " (partitions=1, "
        + "replication_factor=3) at bootstrap_servers=" + TestBroker.bootstrap() + ": "),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("; create it yourself, or give the job's user the CREATE "
        + "permission on it"), e.getMessage());
  }

  private static KafkaSinkConfig config(String topic, int partitions, Integer replication) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("kafka_topic", topic);
    p.put("bootstrap_servers", TestBroker.bootstrap());
    p.put("partitions", partitions);
    if (replication != null) p.put("replication_factor", replication);
    return KafkaSinkConfig.parse(new StreamOperatorNode(OperatorType.SINK, "out", p));
  }
}
