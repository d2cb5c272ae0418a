package io.sabot.kafka;

import io.sabot.connect.file.Folders;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft broker (combined broker and controller) in a child JVM, bound to
 * 127.0.0.1, started from the Kafka jars in the local Maven repository: no download, no Docker.
 * What {@code sabot broker} runs and what the integration tests start.
 *
 * <pre>
 *   start(): free ports ─► server.properties ─► StorageTool format (first start of a folder)
 *            ─► java kafka.Kafka server.properties ─► wait for "Kafka Server started" in its log
 * </pre>
 *
 * The child's class path is the one Maven wrote to {@code broker.classpath} when this module was
 * built (the optional kafka_2.13 and log4j dependencies), or {@code $SABOT_BROKER_CLASSPATH}. The
 * log goes to {@code broker.log} in the data folder. {@link #close()} stops the broker with SIGTERM
 * (SIGKILL after 20 s) and deletes the folder if it was a temporary one. A shutdown hook, registered
 * as soon as the child is launched, does the same if this JVM exits first (Ctrl-C, an uncaught
 * failure, System.exit), so no broker outlives the process that started it.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final String READY = "Kafka Server started";
  private static final long START_TIMEOUT_MS = 90_000;

  private final Process process;
  private final Path dir;
  private final boolean temporary;
  private final int port;
  private final Deque<String> tail;
  private final Thread stopOnExit;
  private boolean closed;

  private KafkaBroker(Process process, Path dir, boolean temporary, int port, Deque<String> tail) {
    this.process = process;
    this.dir = dir;
    this.temporary = temporary;
    this.port = port;
    this.tail = tail;
    this.stopOnExit = new Thread(this::close, "sabot-broker-stop-on-exit");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /** A broker on free ports with its data in a temporary folder (deleted by {@link #close()}). */
  public static KafkaBroker start() throws IOException {
    return start(0, null);
  }

  /**
   * @param port the client port on 127.0.0.1, or 0 for a free one
   * @param dir  the data folder (formatted on first use, reused after), or null for a temporary one
   */
  public static KafkaBroker start(int port, Path dir) throws IOException {
    return start(port, dir, Map.of());
  }

  /**
   * As {@link #start(int, Path)}, with broker settings that replace the defaults of
   * {@link #serverProperties} (tests keep {@code group.initial.rebalance.delay.ms=0}, so a
   * group forms at once; {@code sabot broker} uses Kafka's 3 s, so agents started together
   * share a job's partitions from its first assignment).
   */
  public static KafkaBroker start(int port, Path dir, Map<String, String> settings)
      throws IOException {
    checkPort(port);
    boolean temporary = dir == null;
    Path data = temporary ? Files.createTempDirectory("sabot-broker-") : dir.toAbsolutePath();
    Files.createDirectories(data);
    int clientPort = port == 0 ? freePort() : port;
    int controllerPort = freePort();
    Path config = data.resolve("server.properties");
    Files.writeString(config, withSettings(serverProperties(data.resolve("logs"), clientPort,
        controllerPort), settings));
    Path log4j = data.resolve("log4j2.properties");
    Files.writeString(log4j, LOG4J);
    String classpath = classpath();
    if (!Files.exists(data.resolve("logs").resolve("meta.properties"))) {
      format(classpath, log4j, config, data);
    }
    List<String> cmd = javaCommand(classpath, log4j, "-Xmx768m");
    cmd.add("kafka.Kafka");
    cmd.add(config.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Deque<String> tail = new ArrayDeque<>();
    // constructed at once: its shutdown hook stops the child even if this JVM exits while it starts
    KafkaBroker broker = new KafkaBroker(p, data, temporary, clientPort, tail);
    CountDownLatch ready = new CountDownLatch(1);
    Thread pump = new Thread(() -> pump(p.getInputStream(), data.resolve("broker.log"), tail, ready),
        "sabot-broker-log");
    pump.setDaemon(true);
    pump.start();
    try {
      long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
      while (!ready.await(100, TimeUnit.MILLISECONDS)) {
        if (!p.isAlive()) {
          throw new IOException("Kafka broker exited with code " + p.exitValue()
              + " before it was ready; its last lines:\n" + broker.lastLines());
        }
        if (System.currentTimeMillis() > deadline) {
          throw new IOException("Kafka broker not ready after " + START_TIMEOUT_MS / 1000
              + " s; its last lines:\n" + broker.lastLines());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      broker.close();
      throw new IOException("interrupted while the Kafka broker started", e);
    } catch (IOException | RuntimeException e) {
      broker.close();
      throw e;
    }
    return broker;
  }

  /** {@code 127.0.0.1:PORT}, for {@code bootstrap_servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path dataDirectory() {
    return dir;
  }

  public long pid() {
    return process.pid();
  }

  /** Blocks until the broker process ends (for {@code sabot broker}). */
  public int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  /**
   * Stops the broker (SIGTERM, then SIGKILL after 20 s); deletes a temporary data folder. Safe to
   * call more than once and from a shutdown hook.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    if (Thread.currentThread() != stopOnExit) {
      try {
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs (and returns at once, closed is set)
      }
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    if (temporary) deleteTree(dir);
  }

  private String lastLines() {
    synchronized (tail) {
      return String.join("\n", tail);
    }
  }

  /** {@code properties} with each key of {@code settings} set to its value. */
  static String withSettings(String properties, Map<String, String> settings) {
    StringBuilder out = new StringBuilder();
    for (String line : properties.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0 && settings.containsKey(line.substring(0, eq))) continue;
      if (!line.isEmpty()) out.append(line).append('\n');
    }
    settings.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
    return out.toString();
  }

  static String serverProperties(Path logs, int port, int controllerPort) {
    return String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "log.dirs=" + logs,
        "num.partitions=1",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=4",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=4",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=true",
        "log.cleaner.backoff.ms=1000",
        "") ;
  }

  private static final String LOG4J = String.join("\n",
      "status = warn",
      "appender.out.type = Console",
      "appender.out.name = out",
      "appender.out.layout.type = PatternLayout",
      "appender.out.layout.pattern = [%d] %p %m (%c{1})%n",
      "rootLogger.level = info",
      "rootLogger.appenderRef.out.ref = out",
      "logger.kafka.name = org.apache.kafka",
      "logger.kafka.level = warn",
      "logger.server.name = kafka.server.KafkaRaftServer",
      "logger.server.level = info",
      "");

  private static void format(String classpath, Path log4j, Path config, Path data) throws IOException {
    List<String> cmd = javaCommand(classpath, log4j, "-Xmx256m");
    cmd.addAll(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
        "-c", config.toString(), "--ignore-formatted"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(data.resolve("format.log").toFile()).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("formatting the Kafka data folder " + data + " took over 60 s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while formatting " + data, e);
    }
    if (p.exitValue() != 0) {
      throw new IOException("formatting the Kafka data folder " + data + " failed (exit "
          + p.exitValue() + "): " + Files.readString(data.resolve("format.log")));
    }
  }

  private static List<String> javaCommand(String classpath, Path log4j, String heap) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(heap);
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-Djava.awt.headless=true");
    cmd.add("-Dlog4j2.configurationFile=" + log4j.toUri());
    cmd.add("-cp");
    cmd.add(classpath);
    return cmd;
  }

  /** The broker's class path: $SABOT_BROKER_CLASSPATH, else the one written at build time. */
  static String classpath() throws IOException {
    String env = System.getenv("SABOT_BROKER_CLASSPATH");
    if (env != null && !env.isBlank()) return env;
    try (InputStream in = KafkaBroker.class.getResourceAsStream("broker.classpath")) {
      if (in == null) {
        throw new IOException("no broker.classpath resource: build sabot-kafka with Maven "
            + "(./mvnw install -DskipTests) or set SABOT_BROKER_CLASSPATH");
      }
      String cp = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      for (String jar : cp.split(java.io.File.pathSeparator)) {
        if (!Files.exists(Path.of(jar))) {
          throw new IOException("the Kafka broker's jar " + jar + " is missing; run "
              + "./mvnw install -DskipTests to fetch it (or set SABOT_BROKER_CLASSPATH)");
        }
      }
      return cp;
    }
  }

  private static void pump(InputStream in, Path logFile, Deque<String> tail, CountDownLatch ready) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
         Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        log.write(line);
        log.write('\n');
        log.flush();
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > 40) tail.removeFirst();
        }
        if (line.contains(READY)) ready.countDown();
      }
    } catch (IOException e) {
      // the broker is gone; start() reports its exit
    }
  }

  /**
   * Fails at once, before anything is written or launched, when the client port is out of range
   * or already taken on 127.0.0.1 (the child would otherwise die with a bind error in its log).
   */
  static void checkPort(int port) throws IOException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port=" + port + " is out of range; use 1 to 65535, "
          + "or 0 for a free port");
    }
    if (port == 0) return;
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      // free: closed at once, the broker binds it a moment later
    } catch (BindException e) {
      BindException busy = new BindException("port=" + port + " on 127.0.0.1 is already in use");
      busy.initCause(e);
      throw busy;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path root) {
    try {
      Folders.deleteTree(root);
    } catch (IOException e) {
      // a temporary folder left behind is not worth failing a test for
    }
  }
}
