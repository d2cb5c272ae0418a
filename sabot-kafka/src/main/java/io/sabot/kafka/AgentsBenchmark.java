package io.sabot.kafka;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.sabot.cluster.ClusterJob;
import io.sabot.cluster.JobCluster;
import io.sabot.exec.JobManager;
import io.sabot.graph.JobFile;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code sabot bench-agents}: one job shared by K agents, each a child JVM ({@link Agent}), on
 * one broker. Two measurements:
 *
 * <pre>
 *   throughput  N quotes loaded into a P-partition topic; K agents started; a bounded job
 *               (inner join with a compacted securities topic, Kafka sink) submitted; wall time
 *               from the submit until every partition is finished (JobCluster.awaitFinished)
 *   kill        2 agents run an unbounded job while quotes arrive at a fixed rate, quote i into
 *               partition i % P; one agent is killed (SIGKILL); for each partition whose output
 *               stopped, the time from the kill to its next output row (the other agent took it
 *               over after session.timeout.ms and a rebalance); then every quote is checked to
 *               have been written (at least once) and the repeats counted
 * </pre>
 *
 * Every quote matches a security (instrumentId = id % R), so each quote gives one output row.
 */
public final class AgentsBenchmark {
  /**
   * @param agentCounts  the K of each throughput run, in order, repeated {@code passes} times
   * @param killRate     quotes per second during the kill run (0: no kill run)
   */
  public record Options(long rows, int referenceRows, List<Integer> agentCounts, int threads,
                        int partitions, int passes, int killRate, int sessionTimeoutMs,
                        String bootstrap) {}

  private final Options options;
  private final PrintStream out;
  private final Path work;
  private final String prefix = "sabot-agents-" + UUID.randomUUID().toString().substring(0, 8);
  private int runs;

  public AgentsBenchmark(Options options, PrintStream out) throws IOException {
    this.options = options;
    this.out = out;
    this.work = Files.createTempDirectory("sabot-bench-agents");
  }

  public void run() throws Exception {
    KafkaBroker broker = null;
    String bootstrap = options.bootstrap();
    if (bootstrap == null) {
      // Kafka's default initial delay (3 s), as a production broker has it: agents share a new
      // job's partitions from the first assignment
      broker = KafkaBroker.start(0, null, Map.of("group.initial.rebalance.delay.ms", "3000"));
      bootstrap = broker.bootstrapServers();
      out.printf("broker: started at %s (pid %d)%n", bootstrap, broker.pid());
    }
    try (KafkaTopics admin = KafkaTopics.connect(bootstrap)) {
      String quotes = prefix + "-quotes";
      String securities = prefix + "-securities";
      admin.create(List.of(new KafkaTopics.Topic(quotes, options.partitions(), Map.of()),
          new KafkaTopics.Topic(securities, 1, Map.of("cleanup.policy", "compact"))), prefix);
      long t0 = System.nanoTime();
      try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
        for (int i = 0; i < options.referenceRows(); i++) {
          producer.send(new ProducerRecord<>(securities, bytes(Integer.toString(i)),
              bytes("{\"ID\":" + i + ",\"NAME\":\"S" + i + "\"}")));
        }
        for (long i = 0; i < options.rows(); i++) producer.send(quote(quotes, i));
      }
      out.printf("loaded %,d quotes into %s (%d partitions) and %,d securities in %.1f s%n",
          options.rows(), quotes, options.partitions(), options.referenceRows(),
          (System.nanoTime() - t0) / 1e9);
      for (int pass = 1; pass <= options.passes(); pass++) {
        for (int k : options.agentCounts()) throughput(bootstrap, quotes, securities, k, pass);
      }
      if (options.killRate() > 0) kill(bootstrap, admin, securities);
    } finally {
      if (broker != null) broker.close();
    }
  }

  private void throughput(String bootstrap, String quotes, String securities, int agents,
                          int pass) throws Exception {
    String run = prefix + "-run" + (++runs);
    List<Process> started = startAgents(bootstrap, agents, run);
    try (JobCluster cluster = JobManager.connect(bootstrap)) {
      long t0 = System.nanoTime();
      ClusterJob job = cluster.submit(JobFile.load(jobFile(bootstrap, run, quotes, securities, true)));
      ClusterJob done = cluster.awaitFinished(job.id(), Duration.ofMinutes(10));
      double seconds = (System.nanoTime() - t0) / 1e9;
      out.printf("RESULT_AGENTS agents=%d pass=%d wall_s=%.2f rows_in=%d rows_out=%d "
          + "rows_per_s=%.0f%n", agents, pass, seconds, done.rowsIn(), done.rowsOut(),
          done.rowsIn() / seconds);
      cluster.cancel(job.id());
    } finally {
      stop(started);
    }
  }

  /** Two agents, quotes at a fixed rate, one agent SIGKILLed; the time until output resumes. */
  private void kill(String bootstrap, KafkaTopics admin, String securities) throws Exception {
    String run = prefix + "-kill";
    String quotes = run + "-quotes";
    int partitions = options.partitions();
    admin.create(List.of(new KafkaTopics.Topic(quotes, partitions, Map.of())), quotes);
    List<Process> agents = startAgents(bootstrap, 2, run);
    AtomicBoolean producing = new AtomicBoolean(true);
    AtomicLong produced = new AtomicLong();
    OutputTimes output = new OutputTimes(partitions);
    Thread consumer = new Thread(() -> output.follow(bootstrap, run + "-out"), "output-reader");
    Thread producer = new Thread(() -> produceAtRate(bootstrap, quotes, producing, produced),
        "quote-producer");
    try (JobCluster cluster = JobManager.connect(bootstrap)) {
      ClusterJob job = cluster.submit(JobFile.load(jobFile(bootstrap, run, quotes, securities, false)));
      producer.start();
      consumer.start();
      long steady = System.currentTimeMillis() + 60_000;
      while (!(output.allPartitionsWithin(2_000) && bothReading(cluster, job.id()))) {
        if (System.currentTimeMillis() > steady) {
          throw new IOException("the two agents were not both reading, every partition written, "
              + "within 60 s: " + cluster.status(job.id()).map(ClusterJob::agents).orElse(List.of())
              + "; their logs are in " + work);
        }
        Thread.sleep(100);
      }
      Thread.sleep(5_000); // both agents at work, every partition written
      long killedAt = System.currentTimeMillis();
      agents.get(0).destroyForcibly();
      out.printf("kill: agent a1 killed (SIGKILL) at +0 ms; session.timeout.ms=%d%n",
          options.sessionTimeoutMs());
      Thread.sleep(options.sessionTimeoutMs() * 3L + 10_000);
      producing.set(false);
      producer.join();
      long want = produced.get();
      long deadline = System.currentTimeMillis() + 120_000;
      while (output.distinct() < want && System.currentTimeMillis() < deadline) Thread.sleep(200);
      output.stop();
      consumer.join();
      List<String> resumed = new ArrayList<>();
      long worst = 0;
      for (int p = 0; p < partitions; p++) {
        long gapEnd = output.firstAfterGap(p, killedAt, 1_000);
        if (gapEnd < 0) continue; // written on without a pause: the other agent's partition
        resumed.add(p + ":" + (gapEnd - killedAt));
        worst = Math.max(worst, gapEnd - killedAt);
      }
      out.printf("RESULT_AGENT_KILL session_timeout_ms=%d rate=%d resumed_ms=%s max_ms=%d "
          + "quotes=%d written=%d lost=%d repeated=%d%n", options.sessionTimeoutMs(),
          options.killRate(), resumed, worst, want, output.distinct(), want - output.distinct(),
          output.total() - output.distinct());
      cluster.cancel(job.id());
    } finally {
      producing.set(false);
      output.stop();
      stop(agents);
    }
  }

  /** Both agents report rows read for the job: each has partitions. */
  private static boolean bothReading(JobCluster cluster, String id) {
    return cluster.status(id).map(j -> j.agents().stream().filter(a -> a.rowsIn() > 0).count() >= 2)
        .orElse(false);
  }

  /** Quote i into partition i % P, keyed by i, {@code killRate} per second. */
  private void produceAtRate(String bootstrap, String topic, AtomicBoolean producing,
                             AtomicLong produced) {
    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
      long t0 = System.nanoTime();
      long i = 0;
      while (producing.get()) {
        long due = (long) ((System.nanoTime() - t0) / 1e9 * options.killRate());
        for (; i < due; i++) producer.send(quote(topic, i));
        produced.set(i);
        Thread.sleep(5);
      }
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ProducerRecord<byte[], byte[]> quote(String topic, long id) {
    return new ProducerRecord<>(topic, (int) (id % options.partitions()),
        bytes(Long.toString(id)), bytes("{\"id\":" + id + ",\"instrumentId\":"
            + (id % options.referenceRows()) + ",\"price\":" + (id % 1000) + ".5}"));
  }

  /** When each output row arrived, by the partition of the quote it came from. */
  private final class OutputTimes {
    private final List<List<Long>> arrivals = new ArrayList<>();
    private final Map<Long, Integer> seen = new HashMap<>();
    private final AtomicBoolean following = new AtomicBoolean(true);
    private long total;

    OutputTimes(int partitions) {
      for (int p = 0; p < partitions; p++) arrivals.add(new ArrayList<>());
    }

    void follow(String bootstrap, String topic) {
      try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(bootstrap, null,
          "sabot-bench-agents", "earliest", Map.of())) {
        List<TopicPartition> parts = new ArrayList<>();
        long waitUntil = System.currentTimeMillis() + 60_000;
        while (parts.isEmpty() && System.currentTimeMillis() < waitUntil) {
          consumer.partitionsFor(topic).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        while (following.get()) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
            long now = System.currentTimeMillis();
            String v = new String(r.value(), StandardCharsets.UTF_8);
            int at = v.indexOf("\"id\":") + 5;
            int end = at;
            while (end < v.length() && Character.isDigit(v.charAt(end))) end++;
            long id = Long.parseLong(v.substring(at, end));
            synchronized (this) {
              arrivals.get((int) (id % arrivals.size())).add(now);
              seen.merge(id, 1, Integer::sum);
              total++;
            }
          }
        }
      }
    }

    void stop() {
      following.set(false);
    }

    synchronized long distinct() {
      return seen.size();
    }

    synchronized long total() {
      return total;
    }

    /** Every partition has had output in the last {@code ms}. */
    synchronized boolean allPartitionsWithin(long ms) {
      long now = System.currentTimeMillis();
      for (List<Long> a : arrivals) {
        if (a.isEmpty() || now - a.get(a.size() - 1) > ms) return false;
      }
      return true;
    }

    /**
     * The first arrival of partition {@code p} after {@code from} that follows a pause of at
     * least {@code gap} ms (its output stopped and resumed), or -1 when it never paused.
     */
    synchronized long firstAfterGap(int p, long from, long gap) {
      List<Long> a = arrivals.get(p);
      long previous = from;
      for (long t : a) {
        if (t < from) {
          previous = Math.max(previous, t);
          continue;
        }
        if (t - previous >= gap) return t;
        previous = t;
      }
      return -1;
    }
  }

  private Path jobFile(String bootstrap, String run, String quotes, String securities,
                       boolean bounded) throws IOException {
    String text = String.join("\n",
        "job_name: bench_agents",
        "operators:",
        "  - name: quotes",
        "    type: SOURCE",
        "    parameters: {kafka_topic: " + quotes + ", bootstrap_servers: '" + bootstrap + "', format: jsonl, group_id: " + run
            + "-group, start: earliest, bounded: " + bounded + ",",
        "      schema: {id: int64, instrumentId: int64, price: float64},",
        "      properties: {session.timeout.ms: " + options.sessionTimeoutMs()
            + ", heartbeat.interval.ms: " + Math.max(500, options.sessionTimeoutMs() / 6) + "}}",
        "  - name: securities",
        "    type: SOURCE",
        "    parameters: {kafka_topic: " + securities + ", bootstrap_servers: '" + bootstrap + "', format: jsonl, key: ID,",
        "      schema: {ID: int64, NAME: string}}",
        "  - {name: enrich, type: HASH_JOIN, parameters: {left_key: instrumentId, right_key: ID}}",
        "  - {name: out, type: SINK, parameters: {kafka_topic: " + run + "-out, bootstrap_servers: '" + bootstrap + "', format: jsonl, "
            + "partitions: " + options.partitions() + "}}",
        "connect: [[quotes, enrich], [securities, enrich], [enrich, out]]", "");
    Path file = work.resolve(run + ".yaml");
    Files.writeString(file, text);
    return file;
  }

  /** K agents (a1 .. aK), each a child JVM with its own data folder and log; up when watching. */
  private List<Process> startAgents(String bootstrap, int count, String run) throws Exception {
    List<Process> agents = new ArrayList<>();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // the agents run as bin/sabot runs this JVM: huge pages when it was given them (malloc's
    // setting, GLIBC_TUNABLES, is in the environment the children inherit)
    boolean withHugePages = Boolean.parseBoolean(ManagementFactory
        .getPlatformMXBean(HotSpotDiagnosticMXBean.class)
        .getVMOption("UseTransparentHugePages").getValue());
    for (int i = 1; i <= count; i++) {
      Path data = Files.createDirectories(work.resolve(run + "-a" + i));
      Path log = work.resolve(run + "-a" + i + ".log");
      List<String> command = new ArrayList<>(List.of(java,
          "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx512m"));
      if (withHugePages) command.add("-XX:+UseTransparentHugePages");
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), Agent.class.getName(),
          bootstrap, "a" + i, Integer.toString(options.threads()), JobCluster.CONTROL_TOPIC,
          data.toString()));
      agents.add(new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start());
    }
    for (int i = 1; i <= count; i++) {
      Path log = work.resolve(run + "-a" + i + ".log");
      long deadline = System.currentTimeMillis() + 60_000;
      while (!(Files.exists(log) && Files.readString(log).contains("watching"))) {
        if (System.currentTimeMillis() > deadline) {
          stop(agents);
          throw new IOException("agent a" + i + " did not start within 60 s; its log: " + log);
        }
        Thread.sleep(100);
      }
    }
    out.printf("%s: %d agents up (%d threads each), logs in %s%n", run, count, options.threads(), work);
    return agents;
  }

  /** SIGTERM, so each agent leaves its groups cleanly; SIGKILL after 30 s. */
  private static void stop(List<Process> agents) throws InterruptedException {
    for (Process p : agents) p.destroy();
    for (Process p : agents) {
      if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    return KafkaClients.producer(bootstrap, "sabot-bench-agents", null, Map.of("linger.ms", "20"));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Parses "1,2,4". */
  public static List<Integer> counts(String text) {
    return Arrays.stream(text.split(",")).map(String::trim).map(Integer::valueOf).toList();
  }
}
