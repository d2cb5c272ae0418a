package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.cluster.ClusterJob;
import io.sabot.exec.JobSummary;
import io.sabot.graph.JobFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's distributed example, its three job files as they are in
 * {@code examples/stream-enrichment/distributed/} (only the topics, the group and the broker made
 * this test's own): the generator's quotes and securities into topics, the enrichment submitted
 * to two agents (child JVMs), the enriched topic back to a file. Its rows are exactly those
 * {@code distributed_enrichment.yaml} writes in one process from the same generator input.
 */
@Tag("integration")
class DistributedExampleIT {
  private static final Path EXAMPLE = Jobs.EXAMPLES.resolve("distributed");

  @TempDir Path dir;

  @Test
  void shouldEnrichOnTwoAgentsTheRowsOfTheLocalJob() throws Exception {
    String control = TestBroker.topic("distributed-jobs");
    Map<String, String> names = Map.of(
        "distributed.quotes", TestBroker.topic("distributed-quotes"),
        "distributed.securities", TestBroker.topic("distributed-securities"),
        "distributed.enriched", TestBroker.topic("distributed-enriched"),
        "distributed_enrichment", TestBroker.topic("distributed-group"));

    JobSummary loaded = Jobs.run(copy("1_generate_to_kafka.yaml", names));
    assertEquals(11_000, loaded.streamRowsIn(), "1,000 quotes and 10,000 securities");
    assertEquals(4, partitions(names.get("distributed.quotes")), "the agents share 4 partitions");

    Process a = Agents.start(dir, "d1", control);
    Process b = Agents.start(dir, "d2", control);
    ClusterJob done;
    try (KafkaJobCluster cluster = KafkaJobCluster.connect(TestBroker.bootstrap(), control)) {
      ClusterJob job = cluster.submit(JobFile.load(copy("2_enrich_on_agents.yaml", names)));
      done = cluster.awaitFinished(job.id(), Duration.ofSeconds(120));
    } finally {
      for (Process p : new Process[] {a, b}) p.destroy();
      for (Process p : new Process[] {a, b}) p.waitFor();
    }
    assertEquals(1_000, done.rowsIn(), "every quote read once: " + done.agents());
    assertEquals(479, done.rowsOut(), done.agents().toString());

    Jobs.run(copy("3_read_enriched.yaml", names));
    List<String> distributed = sorted(Jobs.lines(dir.resolve("enriched_quotes.csv")));

    Path local = dir.resolve("local.yaml");
    String localJob = Files.readString(Jobs.EXAMPLES.resolve("distributed_enrichment.yaml"));
    Files.writeString(local, replace(localJob, "{stdout: true, limit: 20}",
        "{path: '" + dir.resolve("local.csv") + "', format: csv}"));
    Jobs.run(local);
    List<String> expected = sorted(Jobs.lines(dir.resolve("local.csv")));
    assertEquals(480, expected.size(), "the header and the 479 rows of the README");
    assertEquals("instrumentId,price,size,ts,CUSIP,NAME", expected.get(0));
    assertEquals(expected, distributed);
  }

  /** The example's job file with this test's topics, group and broker, in the test's folder. */
  private Path copy(String file, Map<String, String> names) throws Exception {
    String text = Files.readString(EXAMPLE.resolve(file));
    for (Map.Entry<String, String> e : names.entrySet()) {
      String topic = "kafka_topic: " + e.getKey();
      if (text.contains(topic)) {
        text = text.replace(topic, "kafka_topic: " + e.getValue() + ", bootstrap_servers: '"
            + TestBroker.bootstrap() + "'");
      }
      text = text.replace("group_id: " + e.getKey(), "group_id: " + e.getValue());
    }
    Path out = dir.resolve(file);
    Files.writeString(out, text);
    return out;
  }

  private static String replace(String text, String from, String to) {
    assertTrue(text.contains(from), "the example still has " + from);
    return text.replace(from, to);
  }

  /** The header, then the rows sorted: the agents write partitions in any interleaving. */
  private static List<String> sorted(List<String> lines) {
    List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
    Collections.sort(rows);
    rows.add(0, lines.get(0));
    return rows;
  }

  private static int partitions(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        TestBroker.bootstrap()))) {
      return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
          .size();
    }
  }
}
