package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.cluster.ClusterJob;
import io.sabot.error.InvalidJobException;
import io.sabot.exec.JobSummary;
import io.sabot.graph.JobFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reference_partitioning: co_partitioned} against the real test broker: quotes keyed by
 * instrumentId and securities keyed by ID, both with 4 partitions, so Kafka's default
 * partitioner puts a security and its quotes in partitions of the same number. One process
 * gives the rows broadcast gives; two agents each hold only the securities of their own stream
 * partitions and still enrich every quote; topics partitioned differently are refused at start.
 */
@Tag("integration")
class CoPartitionedReferenceIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SECURITIES = 40;
  /** Quotes name instrumentIds 0 .. 43: the last four have no security. */
  private static final int INSTRUMENTS = SECURITIES + 4;
  private static final Pattern JOIN_LINE = Pattern.compile(
      "enrich +HASH_JOIN .*changelog_keys=([0-9,]+).*reference_partitions=\\[([0-9, ]*)\\]");

  private static final String JOB = String.join("\n",
      "job_name: co_partitioned",
      "operators:",
      "  - name: quotes",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${QUOTES}, bootstrap_servers: '${B}', group_id: ${GROUP},",
      "      start: earliest, bounded: ${BOUNDED}, batch_size: 50,",
      "      schema: {id: int64, instrumentId: int64, price: float64},",
      "      properties: {session.timeout.ms: 6000, heartbeat.interval.ms: 1000}}",
      "  - name: securities",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${SECURITIES}, bootstrap_servers: '${B}',",
      "      schema: {ID: int64, NAME: string}}",
      "  - name: enrich",
      "    type: HASH_JOIN",
      "    parameters: {left_key: instrumentId, right_key: ID, reference_partitioning: ${PARTITIONING}}",
      "  - {name: out, type: SINK, parameters: {${SINK}}}",
      "connect: [[quotes, enrich], [securities, enrich], [enrich, out]]");

  @TempDir Path dir;

  private record Topics(String quotes, String securities) {}

  /**
   * Securities 0 .. 39 keyed by ID, then updates of every fifth and a tombstone for 7 (compacted
   * topic, as a reference changelog is); quotes {@code 0 .. quotes - 1} keyed by instrumentId.
   */
  private static Topics topics(String name, int quotePartitions, int securityPartitions,
                               int quotes) throws Exception {
    Topics t = new Topics(TestBroker.topic(name + "-quotes"), TestBroker.topic(name + "-securities"));
    TestBroker.createTopic(t.quotes(), quotePartitions, false);
    TestBroker.createTopic(t.securities(), securityPartitions, true);
    List<String[]> secs = new ArrayList<>();
    for (int i = 0; i < SECURITIES; i++) secs.add(new String[] {Integer.toString(i), security(i, "S" + i)});
    for (int i = 0; i < SECURITIES; i += 5) secs.add(new String[] {Integer.toString(i), security(i, "T" + i)});
    secs.add(new String[] {"7", null});
    TestBroker.produce(t.securities(), secs);
    produceQuotes(t.quotes(), 0, quotes);
    return t;
  }

  private static String security(int id, String name) {
    return "{\"ID\":" + id + ",\"NAME\":\"" + name + "\"}";
  }

  /** Quote i names instrumentId i % 44 and is keyed by it, as the securities are by ID. */
  private static void produceQuotes(String topic, int from, int to) {
    List<String[]> records = new ArrayList<>();
    for (int i = from; i < to; i++) {
      int instrument = i % INSTRUMENTS;
      records.add(new String[] {Integer.toString(instrument), "{\"id\":" + i + ",\"instrumentId\":"
          + instrument + ",\"price\":" + (i % 100) + ".5}"});
    }
    TestBroker.produce(topic, records);
  }

  /** The name quote i is enriched with; null when it has no security (none, or deleted). */
  private static String expectedName(int i) {
    int instrument = i % INSTRUMENTS;
    if (instrument >= SECURITIES || instrument == 7) return null;
    return (instrument % 5 == 0 ? "T" : "S") + instrument;
  }

  private Path job(String name, Topics t, String partitioning, String bounded, String sink)
      throws Exception {
    return Jobs.write(dir, name + ".yaml", JOB, Map.of("QUOTES", t.quotes(), "SECURITIES",
        t.securities(), "B", TestBroker.bootstrap(), "GROUP", TestBroker.topic("group"),
        "BOUNDED", bounded, "PARTITIONING", partitioning, "SINK", sink));
  }

  /** The CSV rows a single process writes, header first, then the rows sorted. */
  private List<String> runToCsv(Topics t, String partitioning, List<JobSummary> summaries)
      throws Exception {
    Path out = dir.resolve(partitioning + ".csv");
    JobSummary s = Jobs.run(job(partitioning, t, partitioning, "true", "path: '" + out + "'"));
    summaries.add(s);
    List<String> lines = Jobs.lines(out);
    List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
    Collections.sort(rows);
    rows.add(0, lines.get(0));
    return rows;
  }

  @Test
  void shouldGiveTheRowsOfBroadcastInOneProcess() throws Exception {
    Topics t = topics("diff", 4, 4, 2_000);
    List<JobSummary> summaries = new ArrayList<>();
    List<String> broadcast = runToCsv(t, "broadcast", summaries);
    List<String> coPartitioned = runToCsv(t, "co_partitioned", summaries);

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      String name = expectedName(i);
      if (name != null) expected.add(i + "," + (i % INSTRUMENTS) + "," + (i % 100) + ".5," + name);
    }
    Collections.sort(expected);
    expected.add(0, "id,instrumentId,price,NAME");
    assertEquals(expected, broadcast);
    assertEquals(expected, coPartitioned);
    // one process reads every stream partition, so every reference partition: the whole table
    Map<String, Object> details = summaries.get(1).operator("enrich").details();
    assertEquals(SECURITIES - 1L, details.get("changelog_keys"));
    assertEquals("[0, 1, 2, 3]", details.get("reference_partitions"));
    assertEquals(SECURITIES - 1L,
        summaries.get(0).operator("enrich").details().get("changelog_keys"));
  }

  @Test
  void shouldRefuseTopicsWithDifferentPartitionCountsAtStart() throws Exception {
    Topics t = topics("mismatch", 4, 2, 10);
    Path out = dir.resolve("never.csv");
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> Jobs.run(job("mismatch", t, "co_partitioned", "true", "path: '" + out + "'")));
    assertEquals("Invalid job: operator=enrich parameter=reference_partitioning "
        + "value=co_partitioned needs the stream and the reference topic partitioned alike, but "
        + "the stream input quotes has 4 partitions and the reference input securities has 2; "
        + "give both topics the same number of partitions (and write both keyed by the join "
        + "key), or use reference_partitioning: broadcast", e.getMessage());
    assertTrue(!Files.exists(out), "nothing was written");
  }

  @Test
  void shouldRefuseAFileReferenceTableWhenCoPartitioned() throws Exception {
    // and a refresh interval, which a co-partitioned table cannot have: every problem at once
    Files.writeString(dir.resolve("securities.csv"), "ID,NAME\n1,A\n");
    Path job = Jobs.write(dir, "file.yaml", String.join("\n",
        "job_name: file_reference",
        "operators:",
        "  - {name: quotes, type: SOURCE, parameters: {kafka_topic: q, schema: {instrumentId: int64}}}",
        "  - {name: securities, type: SOURCE, parameters: {path: securities.csv}}",
        "  - {name: enrich, type: HASH_JOIN, parameters: {left_key: instrumentId, right_key: ID,",
        "      reference_partitioning: co_partitioned, reference_refresh_ms: 10}}",
        "  - {name: out, type: SINK, parameters: {discard: true}}",
        "connect: [[quotes, enrich], [securities, enrich], [enrich, out]]"), Map.of());
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> new io.sabot.exec.JobManager().plan(JobFile.load(job)));
    assertEquals(List.of("operator=enrich parameter=reference_partitioning value=co_partitioned "
        + "but the reference input securities is not a Kafka topic (path=securities.csv); "
        + "co_partitioned needs the stream and the reference table to be Kafka topics "
        + "(kafka_topic: ...) with as many partitions, keyed alike by the join key; else use "
        + "reference_partitioning: broadcast (every process reads the whole table)",
        "operator=enrich parameter=reference_refresh_ms applies only to reference_partitioning: "
        + "broadcast (a co-partitioned table catches up on its partitions before every stream "
        + "batch); drop one of the two"), e.problems());
  }

  /**
   * Two agents share the 4 stream partitions; each reads only the securities of its own two
   * (as its log's join line says), and every quote is still enriched with its security.
   */
  @Test
  void shouldHoldOnlyTheSecuritiesOfItsOwnPartitionsOnEachOfTwoAgents() throws Exception {
    Topics t = topics("agents", 4, 4, 0);
    String out = TestBroker.topic("agents-out");
    String control = TestBroker.topic("agents-jobs");
    String group = TestBroker.topic("group");
    Path jobFile = Jobs.write(dir, "agents.yaml", JOB, Map.of("QUOTES", t.quotes(), "SECURITIES",
        t.securities(), "B", TestBroker.bootstrap(), "GROUP", group, "BOUNDED", "false",
        "PARTITIONING", "co_partitioned",
        "SINK", "kafka_topic: " + out + ", bootstrap_servers: '" + TestBroker.bootstrap() + "'"));
    Process a = Agents.start(dir, "pa", control);
    Process b = Agents.start(dir, "pb", control);
    try {
      ClusterJob job;
      try (KafkaJobCluster cluster = KafkaJobCluster.connect(TestBroker.bootstrap(), control)) {
        job = cluster.submit(JobFile.load(jobFile));
      }
      // quotes only once each agent has its two partitions: no agent ever reads all four
      Map<String, Set<Integer>> assigned = awaitTwoMembers(group);
      produceQuotes(t.quotes(), 0, 3_000);

      Map<Integer, String> names = new TreeMap<>();
      long deadline = System.currentTimeMillis() + 90_000;
      int want = 0;
      for (int i = 0; i < 3_000; i++) if (expectedName(i) != null) want++;
      while (names.size() < want && System.currentTimeMillis() < deadline) {
        names.clear();
        for (ConsumerRecord<byte[], byte[]> r : TestBroker.readAll(out, want, Duration.ofSeconds(5))) {
          JsonNode row = JSON.readTree(r.value());
          names.put(row.get("id").asInt(), row.get("NAME").asText());
        }
      }
      Map<Integer, String> expected = new TreeMap<>();
      for (int i = 0; i < 3_000; i++) if (expectedName(i) != null) expected.put(i, expectedName(i));
      assertEquals(expected, names, "every quote enriched with its own security");

      try (KafkaJobCluster cluster = KafkaJobCluster.connect(TestBroker.bootstrap(), control)) {
        cluster.cancel(job.id());
      }
      // where each security lives (the partitioner decided): the keys each agent should hold
      Map<Integer, Integer> live = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : TestBroker.readAll(t.securities(), 1,
          Duration.ofSeconds(5))) {
        int id = Integer.parseInt(TestBroker.text(r.key()));
        if (r.value() == null) {
          live.remove(id);
        } else {
          live.put(id, r.partition());
        }
      }
      Set<Integer> all = new TreeSet<>();
      for (String agent : List.of("pa", "pb")) {
        Matcher m = awaitJoinLine(dir.resolve(agent + ".log"));
        Set<Integer> partitions = new TreeSet<>();
        for (String p : m.group(2).split(", ")) partitions.add(Integer.parseInt(p));
        assertEquals(2, partitions.size(), agent + " reads two of the four: " + m.group());
        long keys = live.values().stream().filter(partitions::contains).count();
        assertEquals(keys, Long.parseLong(m.group(1).replace(",", "")),
            agent + " holds the securities of partitions " + partitions + " only: " + m.group());
        assertTrue(keys < SECURITIES - 1, "fewer than the whole table: " + m.group());
        all.addAll(partitions);
      }
      assertEquals(Set.of(0, 1, 2, 3), all, "the two agents' partitions make up the topic");
      assertEquals(Set.of(0, 1, 2, 3), union(assigned.values()));
    } finally {
      for (Process p : new Process[] {a, b}) p.destroy();
      for (Process p : new Process[] {a, b}) p.waitFor();
    }
  }

  private static Set<Integer> union(Iterable<Set<Integer>> sets) {
    Set<Integer> out = new TreeSet<>();
    sets.forEach(out::addAll);
    return out;
  }

  /** The stream partitions of each member, once the group has two members with two each. */
  private static Map<String, Set<Integer>> awaitTwoMembers(String group) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        TestBroker.bootstrap()))) {
      while (true) {
        Map<String, Set<Integer>> members = new HashMap<>();
        ConsumerGroupDescription d;
        try {
          d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        } catch (ExecutionException e) { // not there until the first agent joins it
          if (!(e.getCause() instanceof GroupIdNotFoundException)) throw e;
          d = null;
        }
        for (MemberDescription m : d == null ? List.<MemberDescription>of() : d.members()) {
          Set<Integer> ps = new TreeSet<>();
          m.assignment().topicPartitions().forEach(tp -> ps.add(tp.partition()));
          members.put(m.consumerId(), ps);
        }
        if (members.size() == 2 && members.values().stream().allMatch(ps -> ps.size() == 2)) {
          return members;
        }
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError("the group never had two members with two partitions each: "
              + members);
        }
        Thread.sleep(200);
      }
    }
  }

  /** The join's line in the summary an agent logs when its job stops. */
  private static Matcher awaitJoinLine(Path log) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      String text = Files.exists(log) ? Files.readString(log) : "";
      Matcher m = JOIN_LINE.matcher(text);
      if (m.find()) return m;
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("no join line with reference_partitions in " + log + ":\n" + text);
      }
      Thread.sleep(200);
    }
  }
}
