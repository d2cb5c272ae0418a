package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.cluster.AgentReport;
import io.sabot.cluster.ClusterJob;
import io.sabot.exec.AgentSummaries;
import io.sabot.exec.ExecutionOptions;
import io.sabot.exec.JobManager;
import io.sabot.exec.JobSummary;
import io.sabot.exec.OperatorSummary;
import io.sabot.graph.JobFile;
import io.sabot.reference.ReferenceTableStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents as child JVMs sharing one job's stream through its consumer group, against the real
 * test broker: two agents write every enriched row; an agent killed with SIGKILL mid-stream
 * loses none (at-least-once: its partitions move to the other agent, which starts from the
 * committed offsets); cancel stops the job on every agent and releases its group; a restarted
 * agent resumes from the committed offsets; the reports show partitions, lag and reference
 * tables, and the agents' summaries merged equal one process's.
 */
@Tag("integration")
class AgentsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PARTITIONS = 4;
  private static final int SECURITIES = 10;
  private static final String JOB = String.join("\n",
      "job_name: shared",
      "operators:",
      "  - name: quotes",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${QUOTES}, bootstrap_servers: '${B}', group_id: ${GROUP},",
      "      start: earliest, bounded: ${BOUNDED}, schema: {id: int64, instrumentId: int64, price: float64},",
      "      properties: {session.timeout.ms: 6000, heartbeat.interval.ms: 1000,",
      "        max.partition.fetch.bytes: ${FETCH}}}",
      "  - name: securities",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${SECURITIES}, bootstrap_servers: '${B}', key: ID,",
      "      schema: {ID: int64, NAME: string}}",
      "  - {name: enrich, type: HASH_JOIN, parameters: {left_key: instrumentId, right_key: ID}}",
      "  - name: out",
      "    type: SINK",
      "    parameters: {kafka_topic: ${OUT}, bootstrap_servers: '${B}', partitions: 4,",
      "      delivery: ${DELIVERY}, properties: {transaction.timeout.ms: ${TXN_MS}}}",
      "connect: [[quotes, enrich], [securities, enrich], [enrich, out]]");

  @TempDir Path dir;
  /** The stream consumer's max.partition.fetch.bytes in the jobs submitted (Sabot's default). */
  private int quotesFetchBytes = 8 << 20;

  /** A submitted job, its topics, its consumer group, and the values its job file was made with. */
  private record Setup(String quotes, String out, String control, ClusterJob job, String group,
                       Map<String, String> vars) {
    Setup(String control, ClusterJob job) {
      this(null, null, control, job, null, Map.of());
    }
  }

  private Setup submit(String name) throws Exception {
    return submit(name, PARTITIONS, "at_least_once");
  }

  private Setup submit(String name, int partitions) throws Exception {
    return submit(name, partitions, "at_least_once");
  }

  private Setup submit(String name, int partitions, String delivery) throws Exception {
    return submit(name, partitions, delivery, false, 0);
  }

  private Setup submit(String name, int partitions, String delivery, boolean bounded,
                       int quoteCount) throws Exception {
    return submit(name, partitions, delivery, bounded, quoteCount, 10_000);
  }

  /**
   * With {@code bounded}, the {@code quotes} quotes are written before the job is submitted;
   * {@code transactionMs}: the sink's transaction.timeout.ms.
   */
  private Setup submit(String name, int partitions, String delivery, boolean bounded,
                       int quoteCount, int transactionMs) throws Exception {
    String quotes = TestBroker.topic(name + "-quotes");
    String securities = TestBroker.topic(name + "-securities");
    String out = TestBroker.topic(name + "-out");
    String control = TestBroker.topic(name + "-jobs");
    TestBroker.createTopic(quotes, partitions, false);
    TestBroker.createTopic(securities, 1, true);
    List<String[]> secs = new ArrayList<>();
    for (int i = 0; i < SECURITIES; i++) {
      secs.add(new String[] {Integer.toString(i), "{\"ID\":" + i + ",\"NAME\":\"S" + i + "\"}"});
    }
    TestBroker.produce(securities, secs);
    String group = TestBroker.topic("group");
    Map<String, String> vars = Map.of("QUOTES", quotes, "SECURITIES", securities, "OUT", out,
        "B", TestBroker.bootstrap(), "GROUP", group, "DELIVERY", delivery,
        "BOUNDED", Boolean.toString(bounded), "TXN_MS", Integer.toString(transactionMs),
        "FETCH", Integer.toString(quotesFetchBytes));
    Path job = Jobs.write(dir, name + ".yaml", JOB, vars);
    if (quoteCount > 0) produceQuotes(quotes, 0, quoteCount);
    try (KafkaJobCluster cluster = KafkaJobCluster.connect(TestBroker.bootstrap(), control)) {
      return new Setup(quotes, out, control, cluster.submit(JobFile.load(job)), group, vars);
    }
  }

  /** Quotes {@code from} .. {@code to - 1}, keyed by id (spread over the partitions). */
  private static void produceQuotes(String topic, int from, int to) {
    List<String[]> records = new ArrayList<>();
    for (int i = from; i < to; i++) {
      records.add(new String[] {Integer.toString(i), "{\"id\":" + i + ",\"instrumentId\":"
          + (i % (SECURITIES + 2)) + ",\"price\":" + (i % 100) + ".5}"});
    }
    TestBroker.produce(topic, records);
  }

  /** The ids a single process writes for quotes 0 .. n - 1: those whose security exists. */
  private static Set<Long> expected(int n) {
    Set<Long> ids = new TreeSet<>();
    for (long i = 0; i < n; i++) if (i % (SECURITIES + 2) < SECURITIES) ids.add(i);
    return ids;
  }

  /** How often each id was written to {@code out}, once at least {@code want} distinct ids are. */
  private static Map<Long, Integer> written(String out, int want) throws Exception {
    Map<Long, Integer> seen = new HashMap<>();
    long deadline = System.currentTimeMillis() + 90_000;
    while (System.currentTimeMillis() < deadline) {
      seen.clear();
      for (ConsumerRecord<byte[], byte[]> r : TestBroker.readAll(out, want, Duration.ofSeconds(5))) {
        seen.merge(JSON.readTree(r.value()).get("id").asLong(), 1, Integer::sum);
      }
      if (seen.size() >= want) break;
    }
    return seen;
  }

  private Process agent(String name, String control) throws Exception {
    return agent(name, control, -1);
  }

  private Process agent(String name, String control, int metricsPort) throws Exception {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx384m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), Agent.class.getName(),
        TestBroker.bootstrap(), name, "2", control, dataDir(name).toString(),
        Integer.toString(metricsPort), agentConfig().toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()))
        .start(); // appended: an agent restarted under its name keeps one log
  }

  /** The job as listed once every agent in {@code agents} reports {@code state} for it. */
  private static ClusterJob awaitReports(Setup s, Set<String> agents, String state)
      throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    try (KafkaJobCluster cluster = KafkaJobCluster.connect(TestBroker.bootstrap(), s.control())) {
      while (true) {
        ClusterJob job = cluster.status(s.job().id()).orElseThrow();
        Set<String> reporting = new TreeSet<>();
        job.agents().stream().filter(a -> a.state().equals(state))
            .forEach(a -> reporting.add(a.agent()));
        if (reporting.containsAll(agents)) return job;
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError("agents " + agents + " never all reported " + state + ": "
              + job.agents());
        }
        Thread.sleep(200);
      }
    }
  }

  /** The raw last status record of {@code agent} for the job (kept after a cancel). */
  private static String lastReport(Setup s, String agent) throws Exception {
    try (ControlTopic status = new ControlTopic(TestBroker.bootstrap(),
        KafkaJobCluster.statusTopicFor(s.control()), Duration.ofSeconds(15))) {
      byte[] v = status.readAll().get(s.job().id() + "/" + agent);
      return v == null ? "(none)" : new String(v, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** Each operator's name, type, rows and counters, without the timings. */
  private static List<String> counts(JobSummary s) {
    List<String> out = new ArrayList<>();
    for (OperatorSummary o : s.operators()) {
      Map<String, Object> d = new java.util.LinkedHashMap<>(o.details());
      // timings differ from run to run: build_ms, reference_apply_ms, feed_open_millis, ...
      d.keySet().removeIf(key -> key.endsWith("_ms") || key.endsWith("_millis"));
      out.add(o.name() + " " + o.type() + " in=" + o.rowsIn() + " out=" + o.rowsOut() + " " + d);
    }
    return out;
  }

  /** The reference tables of a report, without their load times. */
  private static List<String> tables(AgentReport r) {
    List<String> out = new ArrayList<>();
    for (ReferenceTableStatus t : r.references()) {
      assertTrue(t.bootstrapMillis() >= 0, t.toString());
      out.add(t.join() + " " + t.rows() + " rows, " + t.versions() + " version"
          + (t.versions() == 1 ? "" : "s"));
    }
    return out;
  }

  /** The job as listed once {@code until} holds for it (30 s at most, else the test fails). */
  private static ClusterJob awaitJob(Setup s, Predicate<ClusterJob> until, String what)
      throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    try (KafkaJobCluster cluster = KafkaJobCluster.connect(TestBroker.bootstrap(), s.control())) {
      while (true) {
        ClusterJob job = cluster.status(s.job().id()).orElseThrow();
        if (until.test(job)) return job;
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError("never " + what + ": " + job.agents());
        }
        Thread.sleep(200);
      }
    }
  }

  /** {@code agent}'s report once {@code until} holds for it. */
  private static AgentReport awaitAgent(Setup s, String agent, Predicate<AgentReport> until,
                                        String what) throws Exception {
    return awaitJob(s, j -> j.agents().stream().anyMatch(r -> r.agent().equals(agent)
        && until.test(r)), what).agents().stream().filter(r -> r.agent().equals(agent))
        .findFirst().orElseThrow();
  }

  /** The value of the one Prometheus sample whose line starts with {@code series}, or -2. */
  private static double sample(String metrics, String series) {
    return metrics.lines().filter(l -> l.startsWith(series + " ")).findFirst()
        .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim())).orElse(-2.0);
  }

  /**
   * Two agents on a stream of four partitions: once every quote is read, their reports split the
   * partitions between them (disjoint, together 0..3) with no lag, and show the reference table;
   * their metrics say the same per operator. A cancel stops the job on both (logs and last
   * reports), and the job's consumer group is left with no member.
   */
  @Test
  void shouldReportPartitionsLagAndTablesAndStopOnEveryAgentWhenCancelled() throws Exception {
    Setup s = submit("status");
    produceQuotes(s.quotes(), 0, 2_000);
    int portA = KafkaBroker.freePort();
    int portB = KafkaBroker.freePort();
    Process a = agent("sa", s.control(), portA);
    Process b = agent("sb", s.control(), portB);
    try {
      String id = s.job().id();
      ClusterJob job = awaitJob(s, j -> j.agents().size() == 2 && j.rowsIn() == 2_000
          && j.partitionCount() == PARTITIONS && j.lag() == 0
          && j.agents().stream().allMatch(r -> r.state().equals("running") && r.lag() == 0),
          "2,000 quotes read, 4 partitions reported, lag 0");
      Set<Integer> union = new TreeSet<>();
      for (AgentReport r : job.agents()) {
        assertEquals(Set.of(s.quotes()), r.partitions().keySet(), r.toString());
        union.addAll(r.partitions().get(s.quotes()));
        assertEquals(List.of("enrich " + SECURITIES + " rows, 1 version"), tables(r), r.toString());
      }
      assertEquals(Set.of(0, 1, 2, 3), union, "together the agents read every partition");
      assertEquals(PARTITIONS, job.partitionCount(), "each partition on one agent: " + job.agents());

      // the metrics say the same: quotes read per agent add up, no lag, the table
      String tagsA = "{agent=\"sa\",job=\"" + id + "\"";
      String tagsB = "{agent=\"sb\",job=\"" + id + "\"";
      String metricsA = scrape(portA);
      String metricsB = scrape(portB);
      long until = System.currentTimeMillis() + 10_000;
      String lookups = "sabot_reference_lookups_total";
      // both agents' meters caught up with their reports: every quote, every partition
      while ((sample(metricsA, "sabot_operator_rows_in_total" + tagsA + ",operator=\"quotes\"}")
          + sample(metricsB, "sabot_operator_rows_in_total" + tagsB + ",operator=\"quotes\"}")
          != 2_000 || sample(metricsA, "sabot_job_partitions" + tagsA + "}")
          + sample(metricsB, "sabot_job_partitions" + tagsB + "}") != PARTITIONS
          || sample(metricsA, lookups + tagsA + ",operator=\"enrich\"}")
          + sample(metricsB, lookups + tagsB + ",operator=\"enrich\"}") != 2_000)
          && System.currentTimeMillis() < until) {
        Thread.sleep(200);
        metricsA = scrape(portA);
        metricsB = scrape(portB);
      }
      assertEquals(2_000.0, sample(metricsA, "sabot_operator_rows_in_total" + tagsA
          + ",operator=\"quotes\"}") + sample(metricsB, "sabot_operator_rows_in_total" + tagsB
          + ",operator=\"quotes\"}"), metricsA + metricsB);
      assertEquals(0.0, sample(metricsA, "sabot_job_consumer_lag" + tagsA + "}"), metricsA);
      assertEquals(PARTITIONS, sample(metricsA, "sabot_job_partitions" + tagsA + "}")
          + sample(metricsB, "sabot_job_partitions" + tagsB + "}"), metricsA + metricsB);
      assertEquals(1.0, sample(metricsA, "sabot_reference_versions" + tagsA
          + ",operator=\"enrich\"}"), metricsA);
      assertEquals(SECURITIES, sample(metricsB, "sabot_reference_rows" + tagsB
          + ",operator=\"enrich\"}"), metricsB);
      assertTrue(sample(metricsA, "sabot_reference_bootstrap_seconds" + tagsA
          + ",operator=\"enrich\"}") >= 0, metricsA);
      assertEquals(0.0, sample(metricsA, "sabot_reference_rows_changed_total" + tagsA
          + ",operator=\"enrich\"}"), "no change was published: " + metricsA);
      assertTrue(sample(metricsA, "sabot_job_rows_in_total" + tagsA + "}") >= 0, metricsA);
      // where each agent keeps the table: in memory, probed once per quote it read
      assertEquals(2_000.0, sample(metricsA, lookups + tagsA + ",operator=\"enrich\"}")
          + sample(metricsB, lookups + tagsB + ",operator=\"enrich\"}"), metricsA + metricsB);
      for (String[] agent : List.of(new String[] {"sa", metricsA}, new String[] {"sb", metricsB})) {
        String tags = "{agent=\"" + agent[0] + "\",job=\"" + id + "\",operator=\"enrich\"}";
        String m = agent[1];
        assertEquals(1.0, sample(m, "sabot_reference_backend{agent=\"" + agent[0]
            + "\",backend=\"memory\",job=\"" + id + "\",operator=\"enrich\"}"), m);
        assertTrue(sample(m, "sabot_reference_bytes_in_memory" + tags) >= SECURITIES * 8, m);
        assertEquals(0.0, sample(m, "sabot_reference_bytes_on_disk" + tags), m);
        assertEquals(-2.0, sample(m, "sabot_reference_block_cache_hit_ratio" + tags), "memory: " + m);
        assertEquals(-2.0, sample(m, "sabot_reference_snapshot_age_seconds" + tags), "no state_dir: " + m);
        assertEquals(-2.0, sample(m, "sabot_reference_restore_seconds" + tags), m);
      }

      try (KafkaJobCluster cluster = KafkaJobCluster.connect(TestBroker.bootstrap(), s.control())) {
        assertTrue(cluster.cancel(id));
      }
      long deadline = System.currentTimeMillis() + 30_000;
      while (!(log("sa").contains("job " + id + " stopped") && log("sb").contains("job " + id
          + " stopped")) && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
      }
      for (String agent : List.of("sa", "sb")) {
        assertTrue(log(agent).contains("job " + id + " cancelled"), log(agent));
        assertTrue(log(agent).contains("job " + id + " stopped"), log(agent));
        assertTrue(lastReport(s, agent).contains("\"state\":\"stopped\""), lastReport(s, agent));
        assertTrue(lastReport(s, agent).contains("\"summary\":{"), lastReport(s, agent));
      }
      assertTrue(a.isAlive() && b.isAlive(), "a cancel stops the job, not the agents");
      // both left the job's consumer group as they stopped
      try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
          "bootstrap.servers", TestBroker.bootstrap()))) {
        var group = admin.describeConsumerGroups(List.of(s.group())).all().get().get(s.group());
        assertEquals(List.of(), List.copyOf(group.members()), group.toString());
      }
    } finally {
      a.destroy();
      b.destroy();
      a.waitFor();
      b.waitFor();
    }
  }

  /**
   * An agent stopped with SIGTERM commits what it wrote; restarted, it reads only the quotes
   * written since: its report's rows in are exactly those, and no row is written twice.
   */
  @Test
  void shouldResumeFromTheCommittedOffsetsWhenAnAgentIsRestarted() throws Exception {
    Setup s = submit("restart");
    produceQuotes(s.quotes(), 0, 1_000);
    Process a = agent("ra", s.control());
    try {
      String id = s.job().id();
      awaitAgent(s, "ra", r -> r.state().equals("running") && r.rowsIn() == 1_000,
          "1,000 quotes read");
      a.destroy(); // SIGTERM: a clean stop
      a.waitFor();
      assertTrue(log("ra").contains("job " + id + " stopped: 1,000 rows in"), log("ra"));
      produceQuotes(s.quotes(), 1_000, 1_500);
      a = agent("ra", s.control());
      awaitAgent(s, "ra", r -> r.state().equals("running") && r.rowsIn() >= 500,
          "the restarted agent read the new quotes");
      Thread.sleep(2_500); // more reports come: none may count more
      AgentReport restarted = awaitAgent(s, "ra", r -> r.state().equals("running"), "running");
      assertEquals(500, restarted.rowsIn(), "only the quotes written while it was down: "
          + restarted);
      Map<Long, Integer> all = written(s.out(), expected(1_500).size());
      assertEquals(expected(1_500), new TreeSet<>(all.keySet()));
      assertEquals(0, all.values().stream().filter(n -> n > 1).count(), "no row written twice");
    } finally {
      a.destroy();
      a.waitFor();
    }
  }

  /**
   * A bounded job on two agents: awaitFinished returns once the job's group has committed to the
   * stream's end and no agent runs it; the agents' reports add up to every quote read once.
   */
  @Test
  void shouldTellWhenABoundedJobHasFinishedOnEveryPartition() throws Exception {
    Process a = null;
    Process b = null;
    try {
      Setup s = submit("bounded", PARTITIONS, "at_least_once", true, 8_000);
      a = agent("fa", s.control());
      b = agent("fb", s.control());
      ClusterJob done;
      try (KafkaJobCluster cluster = KafkaJobCluster.connect(TestBroker.bootstrap(), s.control())) {
        done = cluster.finished(s.job().id(), Duration.ofSeconds(90)).get(); // the future form
      }
      assertEquals(8_000, done.rowsIn(), "every quote read once: " + done.agents());
      assertEquals(expected(8_000).size(), done.rowsOut(), done.agents().toString());
      assertTrue(done.agents().stream().allMatch(r -> r.state().equals("finished")),
          done.agents().toString());
      assertEquals(expected(8_000), new TreeSet<>(written(s.out(), expected(8_000).size()).keySet()));
      for (AgentReport r : done.agents()) {
        assertEquals(Map.of(), r.partitions(), "a finished agent reads no partition: " + r);
        assertEquals(List.of("enrich " + SECURITIES + " rows, 1 version"), tables(r), r.toString());
      }

      // the agents' summaries merged: the summary of one process running the same job
      JobSummary merged = AgentSummaries.merge(done).orElseThrow();
      Map<String, String> single = new HashMap<>(s.vars());
      single.put("GROUP", TestBroker.topic("single"));
      single.put("OUT", TestBroker.topic("bounded-single-out"));
      JobSummary one = new JobManager(ExecutionOptions.defaults().withThreads(2))
          .submitJob(JobFile.load(Jobs.write(dir, "single.yaml", JOB, single))).summary();
      System.out.print("agents, merged:\n" + merged.format() + "one process:\n" + one.format());
      assertEquals(counts(one), counts(merged));
      assertEquals(8_000, merged.operator("quotes").rowsOut());
      assertEquals(SECURITIES, merged.operator("securities").rowsOut(), "read whole, not added");
      assertEquals(expected(8_000).size(), merged.operator("enrich").detail("matched"));
    } finally {
      for (Process p : new Process[] {a, b}) {
        if (p != null) {
          p.destroy();
          p.waitFor();
        }
      }
    }
  }

  /**
   * A bounded job outlives an agent killed before its share is read: the other agent takes the
   * killed agent's partitions over once its session times out and reads them from the committed
   * offsets. The killed agent starts first and is killed at its first report of partitions, so
   * it surely holds a share (started together, the other agent once joined the group first and
   * read every quote before the killed one had any). The quotes are many enough that the killed
   * agent is still reading them at its first report (a second after it starts): with 200,000, a
   * faster consumer once had read them all, and the other agent found nothing left.
   */
  @Test
  void shouldFinishABoundedJobWhenAnAgentIsKilledBeforeItsShareIsRead() throws Exception {
    int quotes = 300_000;
    // ka reads at about 100 KB/s (a broker quota on the stream consumer's client id; the broker
    // delays the fetches that follow a burst, so the fetches are small and the quota low: at
    // 1 MB/s ka still read 91,000 quotes before its first report), so it cannot read its whole
    // share first: unthrottled, it once did, and kb had nothing left to take over. Here it read
    // about 11,000
    quotesFetchBytes = 64 << 10;
    Setup s = submit("bounded-kill", PARTITIONS, "at_least_once", true, quotes);
    Process a = null;
    Process b = null;
    try {
      throttleQuotesConsumer(100_000.0);
      a = agent("ka", s.control());
      AgentReport killed = awaitAgent(s, "ka", r -> r.partitionCount() > 0,
          "agent ka reads partitions");
      a.destroyForcibly();
      assertTrue(killed.rowsIn() < quotes, "ka had quotes left to read: " + killed);
      throttleQuotesConsumer(null);
      b = agent("kb", s.control());
      ClusterJob done;
      try (KafkaJobCluster cluster = KafkaJobCluster.connect(TestBroker.bootstrap(), s.control())) {
        done = cluster.awaitFinished(s.job().id(), Duration.ofSeconds(90));
      }
      AgentReport survivor = done.agents().stream().filter(r -> r.agent().equals("kb"))
          .findFirst().orElseThrow();
      assertEquals("finished", survivor.state(), done.agents().toString());
      assertTrue(survivor.rowsIn() > 0, "kb read what ka left: " + survivor);
      System.out.printf("ka killed after reading %,d quotes; kb read %,d%n", killed.rowsIn(),
          survivor.rowsIn());
      Map<Long, Integer> all = written(s.out(), expected(quotes).size());
      assertEquals(expected(quotes), new TreeSet<>(all.keySet()), "no row lost");
      assertTrue(log("kb").contains("finished"), log("kb"));
    } finally {
      if (a != null) a.destroyForcibly();
      if (b != null) {
        b.destroy();
        b.waitFor();
      }
      throttleQuotesConsumer(null); // every job's stream consumer named quotes has this client id
    }
  }

  /**
   * Sets (or, with null, removes) the broker's fetch quota, in bytes a second, for the client id
   * of the jobs' stream consumers ({@code sabot-quotes}), and waits until the broker has it.
   */
  private static void throttleQuotesConsumer(Double bytesPerSecond) throws Exception {
    ClientQuotaEntity consumer = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID,
        "sabot-quotes"));
    try (Admin admin = KafkaClients.admin(TestBroker.bootstrap(), Map.of(), Duration.ofSeconds(30))) {
      admin.alterClientQuotas(List.of(new ClientQuotaAlteration(consumer,
          List.of(new ClientQuotaAlteration.Op("consumer_byte_rate", bytesPerSecond)))))
          .all().get();
      ClientQuotaFilter filter = ClientQuotaFilter.containsOnly(List.of(
          ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.CLIENT_ID, "sabot-quotes")));
      long deadline = System.currentTimeMillis() + 30_000;
      while (true) {
        Double now = admin.describeClientQuotas(filter).entities().get()
            .getOrDefault(consumer, Map.of()).get("consumer_byte_rate");
        if (Objects.equals(now, bytesPerSecond)) return;
        assertTrue(System.currentTimeMillis() < deadline, "the broker's quota is still " + now);
        Thread.sleep(50);
      }
    }
  }

  /**
   * Exactly once on agents: an agent killed with SIGKILL mid-stream leaves no row lost and none
   * repeated in what a read_committed reader sees. Each agent has its own transactional id; the
   * offsets go into its transactions with the consumer group's generation, so a transaction of
   * partitions that have moved can no longer commit; the killed agent's open one is aborted by
   * the broker after transaction.timeout.ms.
   */
  @Test
  void shouldNeitherLoseNorRepeatARowExactlyOnceWhenAnAgentIsKilled() throws Exception {
    Setup s = submit("eos", PARTITIONS, "exactly_once");
    produceQuotes(s.quotes(), 0, 4_000);
    Process a = agent("ea", s.control());
    Process b = agent("eb", s.control());
    try {
      written(s.out(), expected(4_000).size());
      // ea may have joined after eb read the first quotes: it holds partitions, maybe no row yet
      long readBefore = awaitAgent(s, "ea", r -> r.partitionCount() > 0,
          "agent ea holds partitions").rowsIn();
      // quotes keep coming for about 2 s, so the kill lands while ea is reading them (its report
      // shows more rows read), not before they come or after they are all written
      Thread producer = new Thread(() -> {
        for (int k = 4_000; k < 24_000; k += 2_000) {
          produceQuotes(s.quotes(), k, k + 2_000);
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      producer.start();
      awaitAgent(s, "ea", r -> r.rowsIn() > readBefore, "agent ea reads the quotes published since");
      System.out.printf("ea killed %s the quotes were all published%n",
          producer.isAlive() ? "before" : "after");
      a.destroyForcibly();
      producer.join();
      Map<Long, Integer> all = written(s.out(), expected(24_000).size());
      assertEquals(expected(24_000), new TreeSet<>(all.keySet()), "no row lost");
      List<Long> twice = new ArrayList<>();
      all.forEach((id, n) -> {
        if (n > 1) twice.add(id);
      });
      assertEquals(List.of(), twice, "no row written twice (read_committed)");
    } finally {
      a.destroyForcibly();
      b.destroy();
      b.waitFor();
    }
  }

  /**
   * Exactly once against a zombie: an agent paused (SIGSTOP) past the session timeout, its
   * transaction holding rows, loses its partitions to the other agent, which reads them again
   * from the committed offsets. When it resumes, its transaction must not commit: the offsets go
   * with its member id and generation, which the group no longer knows, and its reader has lost
   * the partitions; it aborts and runs the job again, rejoining the group. A read_committed
   * reader sees every row once. (The transaction timeout is longer than the pause, so it is the
   * group, not the transaction coordinator, that stops the zombie.)
   */
  @Test
  void shouldFenceAnAgentPausedPastTheSessionTimeout() throws Exception {
    Setup s = submit("zombie", PARTITIONS, "exactly_once", false, 0, 60_000);
    produceQuotes(s.quotes(), 0, 4_000);
    Process a = agent("za", s.control());
    Process b = agent("zb", s.control());
    try {
      written(s.out(), expected(4_000).size());
      awaitReports(s, Set.of("za", "zb"), "running");
      // a reads partitions of its own (under load it may join after b has taken them all)
      awaitAgent(s, "za", r -> r.partitionCount() > 0, "agent za reads partitions");
      // quotes arriving all the time (never idle for the 500 ms after which a sink commits on
      // its own), so a has a transaction open, holding rows, when it is paused
      java.util.concurrent.atomic.AtomicBoolean producing = new java.util.concurrent.atomic.AtomicBoolean(true);
      java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger(4_000);
      Thread producer = new Thread(() -> {
        // one producer for the whole stream (one per call would open and close a connection
        // per burst, leaving gaps), its records acknowledged by the end
        try (var quotes = KafkaClients.producer(TestBroker.bootstrap(), "zombie-quotes", null,
            Map.of("linger.ms", "5"))) {
          while (producing.get()) {
            int k = next.get();
            for (int i = k; i < k + 100; i++) {
              quotes.send(new org.apache.kafka.clients.producer.ProducerRecord<>(s.quotes(),
                  TestBroker.bytes(Integer.toString(i)), TestBroker.bytes("{\"id\":" + i
                  + ",\"instrumentId\":" + (i % (SECURITIES + 2)) + ",\"price\":" + (i % 100)
                  + ".5}")));
            }
            next.set(k + 100);
            Thread.sleep(10);
          }
          quotes.flush();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      producer.start();
      Thread.sleep(2_000);
      signal(a, "STOP"); // mid-transaction: rows of a's partitions are in it
      Thread.sleep(9_000); // > session.timeout.ms (6 s): the group moves a's partitions to b
      signal(a, "CONT");
      Thread.sleep(4_000); // a resumes, is refused, runs the job again and rejoins
      producing.set(false);
      producer.join();
      int total = next.get();
      Map<Long, Integer> all = written(s.out(), expected(total).size());
      assertEquals(expected(total), new TreeSet<>(all.keySet()), "no row lost");
      List<Long> twice = new ArrayList<>();
      all.forEach((id, n) -> {
        if (n > 1) twice.add(id);
      });
      assertEquals(0, twice.size(), "the zombie's rows were not committed (read_committed); "
          + "written twice, the first: " + twice.subList(0, Math.min(10, twice.size())));
      // the resumed agent learns it lost its partitions on its next poll and commit: wait for it
      long fenced = System.currentTimeMillis() + 30_000;
      while (!log("za").contains("running it again") && System.currentTimeMillis() < fenced) {
        Thread.sleep(200);
      }
      log("za").lines().filter(l -> l.contains("again")).forEach(l -> System.out.println("zombie: " + l));
      // fenced either way: its partition seen moved, or its offsets refused by the group (the
      // broker may forget the member before the agent's next poll tells it of the move)
      assertTrue(log("za").contains("moved to another member of group_id=")
          || log("za").contains("the consumer group of this job's source refused its offsets"),
          log("za"));
      assertTrue(log("za").contains("running it again"), log("za"));
      awaitReports(s, Set.of("za", "zb"), "running"); // the zombie rejoined and runs the job
    } finally {
      signal(a, "CONT");
      a.destroyForcibly();
      b.destroy();
      b.waitFor();
    }
  }

  private static void signal(Process p, String signal) throws Exception {
    new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor();
  }

  /**
   * Three agents share a 6-partition stream, the third joining mid-stream: partitions move on its
   * join without a row lost or written twice (the reader hands a partition over only once what
   * it handed out is durable and committed), and every row is the single-process row.
   */
  @Test
  void shouldShareSixPartitionsAmongThreeAgentsOneJoiningMidStream() throws Exception {
    Setup s = submit("three", 6);
    produceQuotes(s.quotes(), 0, 3_000);
    Process a = agent("a3", s.control());
    Process b = agent("b3", s.control());
    Process c = null;
    try {
      written(s.out(), expected(3_000).size());
      c = agent("c3", s.control());
      awaitReports(s, Set.of("c3"), "running"); // c has started the job and joins the group
      // and has partitions before the quotes come: a rebalance slower than producing them
      // (about 3 s) would leave c nothing to read
      awaitAgent(s, "c3", r -> r.partitionCount() > 0, "agent c3 takes partitions over");
      for (int k = 3_000; k < 24_000; k += 1_500) {
        produceQuotes(s.quotes(), k, k + 1_500);
        Thread.sleep(200);
      }
      Map<Long, Integer> rows = new HashMap<>();
      Map<Long, String> names = new HashMap<>();
      long deadline = System.currentTimeMillis() + 90_000;
      while (rows.size() < expected(24_000).size() && System.currentTimeMillis() < deadline) {
        rows.clear();
        for (ConsumerRecord<byte[], byte[]> r : TestBroker.readAll(s.out(),
            expected(24_000).size(), Duration.ofSeconds(5))) {
          var row = JSON.readTree(r.value());
          long id = row.get("id").asLong();
          rows.merge(id, 1, Integer::sum);
          names.put(id, row.get("NAME").asText());
        }
      }
      assertEquals(expected(24_000), new TreeSet<>(rows.keySet()), "every row, once each");
      assertEquals(0, rows.values().stream().filter(n -> n > 1).count(), "no row written twice");
      for (Map.Entry<Long, String> e : names.entrySet()) {
        assertEquals("S" + (e.getKey() % (SECURITIES + 2)), e.getValue(), "row " + e.getKey());
      }
      // the agent that joined took partitions over (its reports come every second)
      long late = 0;
      ClusterJob job = null;
      long until = System.currentTimeMillis() + 10_000;
      while (late == 0 && System.currentTimeMillis() < until) {
        job = awaitReports(s, Set.of("a3", "b3", "c3"), "running");
        late = job.agents().stream().filter(r -> r.agent().equals("c3"))
            .mapToLong(r -> r.rowsIn()).sum();
        Thread.sleep(200);
      }
      assertTrue(late > 0, "the agent that joined read some partitions: " + job.agents());
    } finally {
      for (Process p : new Process[] {a, b, c}) {
        if (p != null) p.destroy();
      }
      for (Process p : new Process[] {a, b, c}) {
        if (p != null) p.waitFor();
      }
    }
  }

  /** A job with a file reference table, its source and rejects lines given. */
  private ClusterJob submitFileJob(String control, String name, String securities,
                                   String rejects) throws Exception {
    String quotes = TestBroker.topic(name + "-quotes");
    TestBroker.createTopic(quotes, 1, false);
    Path job = Jobs.write(dir, name + ".yaml", String.join("\n",
        "job_name: " + name,
        "operators:",
        "  - {name: quotes, type: SOURCE, parameters: {kafka_topic: ${Q}, bootstrap_servers: '${B}',",
        "      schema: {id: int64, instrumentId: int64, price: float64}${R}}}",
        "  - {name: securities, type: SOURCE, parameters: {path: '${S}'}}",
        "  - {name: enrich, type: HASH_JOIN, parameters: {left_key: instrumentId, right_key: ID}}",
        "  - {name: out, type: SINK, parameters: {kafka_topic: ${O}, bootstrap_servers: '${B}'}}",
        "connect: [[quotes, enrich], [securities, enrich], [enrich, out]]"),
        Map.of("Q", quotes, "B", TestBroker.bootstrap(), "S", securities,
            "O", TestBroker.topic(name + "-out"),
            "R", rejects == null ? "" : ", rejects_path: '" + rejects + "'"));
    try (KafkaJobCluster cluster = KafkaJobCluster.connect(TestBroker.bootstrap(), control)) {
      return cluster.submit(JobFile.load(job));
    }
  }

  /**
   * A job an agent cannot run is reported, not dropped, and the agent goes on with its others:
   * a reference file missing on the agent's machine (relative paths are taken under its
   * --data-dir), and a file outside its --data-dir, which is refused before anything is written.
   */
  @Test
  void shouldReportJobsAnAgentCannotRunAndKeepRunningTheOthers() throws Exception {
    Setup good = submit("good");
    // where the job is submitted (the job file's folder) the file exists; on the agent it does not
    Files.writeString(dir.resolve("securities.csv"), "ID,NAME\n1,A\n");
    ClusterJob missing = submitFileJob(good.control(), "missing", "securities.csv", null);
    Path outside = dir.resolve("outside");
    ClusterJob escaping = submitFileJob(good.control(), "escaping", "securities.csv",
        outside.resolve("rejects.jsonl").toString());
    produceQuotes(good.quotes(), 0, 1_200);
    int port = KafkaBroker.freePort();
    Process a = agent("solo", good.control(), port);
    try {
      String reason = awaitReports(new Setup(good.control(), missing), Set.of("solo"),
          "failed").agents().get(0).reason();
      assertTrue(reason.contains(dataDir("solo").resolve("securities.csv").toString()), reason);

      String refused = awaitReports(new Setup(good.control(), escaping),
          Set.of("solo"), "failed").agents().get(0).reason();
      assertEquals("refused: operator=quotes parameter=rejects_path value="
          + outside.resolve("rejects.jsonl") + " lies outside this agent's --data-dir="
          + dataDir("solo").toRealPath() + "; an agent reads and writes files only under its "
          + "data directory: put the file there and name it relative to it", refused);
      assertFalse(Files.exists(outside), "nothing was written outside the data directory");

      Map<Long, Integer> rows = written(good.out(), expected(1_200).size());
      assertEquals(expected(1_200), new TreeSet<>(rows.keySet()), "the other job ran");
      assertTrue(a.isAlive(), log("solo"));

      // the same, as Prometheus sees it (the rows come with the job's progress, every second)
      String goodRows = "sabot_job_rows_in_total{agent=\"solo\",job=\"" + good.job().id() + "\"} 1200.0";
      String metrics = scrape(port);
      long until = System.currentTimeMillis() + 10_000;
      while (!metrics.contains(goodRows) && System.currentTimeMillis() < until) {
        Thread.sleep(200);
        metrics = scrape(port);
      }
      assertTrue(metrics.contains(goodRows), metrics);
      assertTrue(metrics.contains("sabot_job_failed{agent=\"solo\",job=\"" + missing.id()
          + "\"} 1.0"), metrics);
      assertTrue(metrics.contains("sabot_job_running{agent=\"solo\",job=\"" + good.job().id()
          + "\"} 1.0"), metrics);
    } finally {
      a.destroy();
      a.waitFor();
    }
  }

  private static String scrape(int port) throws Exception {
    var request = java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build();
    return java.net.http.HttpClient.newHttpClient()
        .send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
  }

  /**
   * Every agent's --config: the test broker's own setting (plaintext), so every client of the
   * agents and their jobs is made with it.
   */
  private Path agentConfig() throws Exception {
    Path config = dir.resolve("agent.properties");
    if (!Files.exists(config)) Files.writeString(config, "security.protocol=PLAINTEXT\n");
    return config;
  }

  /** Agent {@code name}'s --data-dir. */
  private Path dataDir(String name) {
    return dir.resolve(name + "-data");
  }

  private String log(String name) throws Exception {
    return Files.readString(dir.resolve(name + ".log"));
  }

  @Test
  void shouldWriteEveryRowWithTwoAgentsAndLoseNoneWhenOneIsKilled() throws Exception {
    Setup s = submit("agents");
    produceQuotes(s.quotes(), 0, 6_000);
    Process a = agent("a", s.control());
    Process b = agent("b", s.control());
    try {
      Map<Long, Integer> first = written(s.out(), expected(6_000).size());
      assertEquals(expected(6_000), new TreeSet<>(first.keySet()), "two agents: every row");
      assertTrue(log("a").contains("starting job " + s.job().id()), log("a"));
      assertTrue(log("b").contains("starting job " + s.job().id()), log("b"));
      ClusterJob running = awaitReports(s, Set.of("a", "b"), "running");
      assertTrue(running.rowsIn() > 0, "the agents report their progress: " + running.agents());
      // a reads partitions of its own before it is killed (on a loaded machine it may join
      // the group after b read the first quotes alone)
      awaitAgent(s, "a", r -> r.partitionCount() > 0, "agent a reads partitions");

      // more quotes arrive; one agent dies without warning while they stream through
      Thread producer = new Thread(() -> {
        for (int k = 6_000; k < 30_000; k += 2_000) produceQuotes(s.quotes(), k, k + 2_000);
      });
      producer.start();
      Thread.sleep(1_500);
      a.destroyForcibly(); // SIGKILL: no clean leave, no final commit
      producer.join();
      Map<Long, Integer> all = written(s.out(), expected(30_000).size());
      assertEquals(expected(30_000), new TreeSet<>(all.keySet()),
          "after the kill, agent b took a's partitions over: no row lost");
      long twice = all.values().stream().filter(c -> c > 1).count();
      System.out.printf("agents: %,d ids written, %,d more than once (at-least-once after the "
          + "kill)%n", all.size(), twice);

      try (KafkaJobCluster cluster = KafkaJobCluster.connect(TestBroker.bootstrap(), s.control())) {
        assertTrue(cluster.cancel(s.job().id()));
      }
      long deadline = System.currentTimeMillis() + 30_000;
      while (!log("b").contains("job " + s.job().id() + " stopped")
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(log("b").contains("job " + s.job().id() + " cancelled"), log("b"));
      try (KafkaJobCluster cluster = KafkaJobCluster.connect(TestBroker.bootstrap(), s.control())) {
        assertEquals(java.util.Optional.empty(), cluster.status(s.job().id()), "cancelled");
      }
      assertTrue(lastReport(s, "b").contains("\"state\":\"stopped\""), lastReport(s, "b"));
      assertTrue(log("b").contains("job " + s.job().id() + " stopped"), log("b"));
      // b read its own share and, after the kill, a's partitions from a's last commit: fewer
      // quotes than all of them, had a read none
      String summary = log("b").lines().filter(l -> l.contains(" stopped: ")).findFirst().orElseThrow();
      System.out.println("agents: " + summary);
      long bIn = Long.parseLong(summary.replaceAll(".* stopped: ([0-9,]+) rows in.*", "$1")
          .replace(",", ""));
      assertTrue(bIn < 30_000, "agent a did part of the work before it was killed: " + summary);
    } finally {
      a.destroyForcibly();
      b.destroy(); // SIGTERM: leaves cleanly
      b.waitFor();
    }
  }
}
