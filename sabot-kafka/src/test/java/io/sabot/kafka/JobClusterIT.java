package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.cluster.ClusterJob;
import io.sabot.error.InvalidJobException;
import io.sabot.graph.JobFile;
import io.sabot.graph.JobGraph;
import io.sabot.graph.StreamOperatorNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submitting to agents through the control topic, against the real test broker: a job is
 * validated and optimized first, published as its optimized job file, listed, and cancelled with
 * a tombstone; a wrong job, or one agents cannot run, is refused and never published.
 */
@Tag("integration")
class JobClusterIT {
  private static final String JOB = String.join("\n",
      "job_name: enrich",
      "operators:",
      "  - {name: quotes, type: SOURCE, parameters: {kafka_topic: ${QUOTES}, bootstrap_servers: '${B}',",
      "      schema: {instrumentId: int64, price: float64, note: string}}}",
      "  - {name: securities, type: SOURCE, parameters: {path: '${SEC}'}}",
      "  - {name: enrich, type: HASH_JOIN, parameters: {left_key: instrumentId, right_key: ID}}",
      "  - {name: cheap, type: FILTER, parameters: {column: ${COLUMN}, operator: '>', value: 100}}",
      "  - {name: out, type: SINK, parameters: {kafka_topic: ${OUT}, bootstrap_servers: '${B}'}}",
      "connect: [[quotes, enrich], [securities, enrich], [enrich, cheap], [cheap, out]]");

  @TempDir Path dir;

  private JobGraph job(String column, String stream) throws Exception {
    Path sec = Files.writeString(dir.resolve("securities.csv"), "ID,NAME\n1,Acme\n2,Beta\n");
    String text = JOB;
    if (stream != null) {
      text = text.replace("{kafka_topic: ${QUOTES}, bootstrap_servers: '${B}',", stream);
    }
    String quotes = TestBroker.topic("quotes");
    TestBroker.createTopic(quotes, 2, false);
    return JobFile.load(Jobs.write(dir, "job.yaml", text, Map.of("QUOTES",
        quotes, "OUT", TestBroker.topic("out"), "B", TestBroker.bootstrap(),
        "SEC", sec.toString(), "COLUMN", column)));
  }

  @Test
  void shouldPublishTheOptimizedJobListItAndCancelIt() throws Exception {
    try (KafkaJobCluster cluster = KafkaJobCluster.connect(TestBroker.bootstrap(),
        TestBroker.topic("jobs"))) {
      assertEquals(List.of(), cluster.jobs(), "no control topic yet: no jobs");
      ClusterJob a = cluster.submit(job("price", null));
      ClusterJob b = cluster.submit(job("price", null));
      assertTrue(a.id().startsWith("enrich-"), a.id());
      assertFalse(a.id().equals(b.id()), "each submission its own id");
      assertEquals(List.of(a.id(), b.id()),
          cluster.jobs().stream().map(ClusterJob::id).collect(Collectors.toList()));

      // What agents get is the optimized graph: the filter was pushed below the join.
      JobGraph published = KafkaJobCluster.graphOf(cluster.status(a.id()).orElseThrow());
      assertEquals("enrich", published.jobName());
      StreamOperatorNode filter = published.operators().stream()
          .filter(n -> n.name().equals("cheap")).findFirst().orElseThrow();
      assertEquals(List.of("quotes"), published.inputs(filter.name()));

      assertTrue(cluster.cancel(a.id()));
      assertEquals(Optional.empty(), cluster.status(a.id()));
      assertEquals(List.of(b.id()),
          cluster.jobs().stream().map(ClusterJob::id).collect(Collectors.toList()));
      assertFalse(cluster.cancel(a.id()), "already cancelled");
      assertFalse(cluster.cancel("no-such-job"));
    }
  }

  /** A submitter connects with client settings (a secured cluster's); here the broker's own. */
  @Test
  void shouldConnectWithClientSettings() throws Exception {
    try (KafkaJobCluster cluster = KafkaJobCluster.connect(TestBroker.bootstrap(),
        TestBroker.topic("jobs"), Map.of("security.protocol", "PLAINTEXT"))) {
      ClusterJob job = cluster.submit(job("price", null));
      assertEquals(List.of(job.id()),
          cluster.jobs().stream().map(ClusterJob::id).collect(Collectors.toList()));
    }
  }

  @Test
  void shouldRefuseAWrongJobWithThePlannersErrorAndPublishNothing() throws Exception {
    try (KafkaJobCluster cluster = KafkaJobCluster.connect(TestBroker.bootstrap(),
        TestBroker.topic("jobs"))) {
      InvalidJobException e = assertThrows(InvalidJobException.class,
          () -> cluster.submit(job("prize", null)));
      assertEquals(List.of("column=prize not found in operator cheap; available: instrumentId, "
          + "price, note, NAME"), e.problems(), "what sabot run says of the same job");
      assertEquals(List.of(), cluster.jobs());
    }
  }

  /** Connection secrets come from each agent's --config, never from a job everyone can read. */
  @Test
  void shouldRefuseConnectionSettingsInAJobAndGiveJobsTheAgentsOwn() throws Exception {
    JobGraph withSecret = job("price", "{kafka_topic: ${QUOTES}, bootstrap_servers: '${B}', "
        + "properties: {sasl.mechanism: PLAIN, security.protocol: SASL_PLAINTEXT},");
    try (KafkaJobCluster cluster = KafkaJobCluster.connect(TestBroker.bootstrap(),
        TestBroker.topic("jobs"))) {
      InvalidJobException e = assertThrows(InvalidJobException.class,
          () -> cluster.submit(withSecret));
      String tail = " is a connection setting; a job submitted to agents may not carry one "
          + "(everyone who can read sabot.jobs would read it): give it to each agent in its "
          + "--config file instead";
      assertEquals(List.of("operator=quotes parameter=properties key=sasl.mechanism" + tail,
          "operator=quotes parameter=properties key=security.protocol" + tail), e.problems());
      assertEquals(List.of(), cluster.jobs());
    }
    // what an agent runs: every Kafka source and sink with the agent's settings
    JobGraph shared = Agent.shared(job("price", null), "a1", Map.of("security.protocol", "PLAINTEXT"));
    for (StreamOperatorNode n : shared.operators()) {
      Object c = n.spec().getClass() == io.sabot.graph.SourceSpec.class
          ? ((io.sabot.graph.SourceSpec) n.spec()).connector()
          : n.spec() instanceof io.sabot.graph.SinkSpec ? ((io.sabot.graph.SinkSpec) n.spec()).connector()
          : null;
      if (c instanceof KafkaSourceSpec) {
        assertEquals("PLAINTEXT", ((KafkaSourceSpec) c).properties().get("security.protocol"), n.name());
      } else if (c instanceof KafkaSinkSpec) {
        assertEquals("PLAINTEXT", ((KafkaSinkSpec) c).properties().get("security.protocol"), n.name());
      }
    }
    assertTrue(((KafkaSourceSpec) ((io.sabot.graph.SourceSpec) shared.operators().stream()
        .filter(n -> n.name().equals("quotes")).findFirst().orElseThrow().spec()).connector())
        .groupAssignment(), "the stream is shared through the group");
  }

  @Test
  void shouldRefuseAStreamThatIsNotATopicAndPublishNothing() throws Exception {
    Path quotes = Files.writeString(dir.resolve("quotes.csv"), "instrumentId,price,note\n1,150.0,x\n");
    try (KafkaJobCluster cluster = KafkaJobCluster.connect(TestBroker.bootstrap(),
        TestBroker.topic("jobs"))) {
      InvalidJobException e = assertThrows(InvalidJobException.class,
          () -> cluster.submit(job("price", "{path: '" + quotes + "',")));
      assertEquals(List.of("operator=quotes is the stream of a job submitted to agents, so it "
          + "must be a Kafka topic (kafka_topic: ...), whose partitions the agents share; run this "
          + "job with `sabot run` instead, or read the stream from a topic"), e.problems());
      assertEquals(List.of(), cluster.jobs());
    }
  }
}
