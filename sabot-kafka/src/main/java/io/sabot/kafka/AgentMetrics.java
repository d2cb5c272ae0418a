package io.sabot.kafka;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sabot.cluster.AgentReport;
import io.sabot.connect.KeptSnapshot;
import io.sabot.exec.OperatorSummary;
import io.sabot.reference.ReferenceTableStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An agent's metrics in Prometheus text at {@code http://HOST:PORT/metrics}
 * ({@code sabot agent --metrics-port}), through Micrometer. Per job on this agent (tags
 * {@code job}, {@code agent}), updated with each report (every second while the job runs):
 *
 * <pre>
 *   sabot_job_rows_in_total                 stream rows read
 *   sabot_job_rows_out_total                rows written
 *   sabot_job_rejected_total                records rejected
 *   sabot_job_running                       1 while it runs here, 0 once it finished, stopped or failed
 *   sabot_job_failed                        1 when it failed here
 *   sabot_job_consumer_lag                  records in its stream partitions past its position (-1: unknown)
 *   sabot_job_partitions                    stream partitions it reads now
 *   sabot_operator_rows_in_total{operator}  rows into each operator (the stream's while it runs; every one at the end)
 *   sabot_operator_rows_out_total{operator} rows out of it
 *   sabot_reference_rows{operator}          rows of the reference table the join operator probes
 *   sabot_reference_versions{operator}      versions of that table built (1 unless kept live)
 *   sabot_reference_bootstrap_seconds{operator}  how long its first version took
 *   sabot_reference_rows_changed_total{operator} rows its changelog's changes removed or added in place
 *   sabot_reference_backend{operator,backend}   1 on the backend holding it (memory, rocksdb)
 *   sabot_reference_bytes_in_memory{operator}   bytes it takes in memory
 *   sabot_reference_bytes_on_disk{operator}     bytes of its RocksDB store's files (0 in memory)
 *   sabot_reference_lookups_total{operator}     memory: stream rows probed; rocksdb: keys read
 *   sabot_reference_block_cache_hit_ratio{operator}  rocksdb: share of block reads from the cache
 *   sabot_reference_snapshot_age_seconds{operator}   with state_dir: age of its snapshot on disk
 *   sabot_reference_snapshot_bytes{operator}    with state_dir: that file's size
 *   sabot_reference_restore_seconds{operator}   with state_dir: this run's restore from it
 * </pre>
 *
 * The same figures go to the status topic; this is for a scraper that watches one agent.
 */
final class AgentMetrics implements AutoCloseable {
  /** One job's figures here; the meters read them. */
  static final class JobMeters {
    final AtomicLong rowsIn = new AtomicLong();
    final AtomicLong rowsOut = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong running = new AtomicLong(1);
    final AtomicLong failed = new AtomicLong();
    final AtomicLong lag = new AtomicLong(-1);
    final AtomicLong partitions = new AtomicLong();
    /** By meter name and operator. */
    final Map<String, AtomicLong> operators = new ConcurrentHashMap<>();
  }

  private static final String BACKEND = "sabot.reference.backend";
  /** A gauge's value when its report has none: served as NaN, not as the last value. */
  private static final long NONE = Long.MIN_VALUE;

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, JobMeters> jobs = new ConcurrentHashMap<>();
  private final String agent;
  private final HttpServer server;

  /** Serves on {@code port} (0: any free port) until closed. */
  AgentMetrics(String agent, int port) throws IOException {
    this.agent = agent;
    this.server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/metrics", exchange -> {
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.setExecutor(null);
    server.start();
  }

  /** The port it listens on. */
  int port() {
    return server.getAddress().getPort();
  }

  /** The meters of {@code job}, registered on first use. */
  JobMeters job(String job) {
    return jobs.computeIfAbsent(job, j -> {
      JobMeters m = new JobMeters();
      counter("sabot.job.rows.in", "stream rows the job read on this agent", j, m.rowsIn);
      counter("sabot.job.rows.out", "rows the job wrote on this agent", j, m.rowsOut);
      counter("sabot.job.rejected", "records the job rejected on this agent", j, m.rejected);
      gauge("sabot.job.running", "1 while the job runs on this agent", j, m.running);
      gauge("sabot.job.failed", "1 when the job failed on this agent", j, m.failed);
      gauge("sabot.job.consumer.lag", "records in the job's stream partitions on this agent past "
          + "its position (-1: unknown)", j, m.lag);
      gauge("sabot.job.partitions", "stream partitions the job reads on this agent now", j,
          m.partitions);
      return m;
    });
  }

  /**
   * What a report says, with the operators' counts so far ({@code operators}: the stream's while
   * the job runs, every operator's at the end; empty when unknown, as for a failure).
   */
  void update(String job, AgentReport r, List<OperatorSummary> operators) {
    JobMeters m = job(job);
    if (r.rowsIn() > 0 || !r.state().equals("failed")) { // a failure keeps the last rows seen
      m.rowsIn.set(r.rowsIn());
      m.rowsOut.set(r.rowsOut());
    }
    m.running.set(r.state().equals("running") ? 1 : 0);
    m.failed.set(r.state().equals("failed") ? 1 : 0);
    m.lag.set(r.lag());
    m.partitions.set(r.partitionCount());
    long rejected = 0;
    for (OperatorSummary o : operators) {
      rejected += o.detail("rejected");
      operatorMeter(m, job, "sabot.operator.rows.in", "rows into the operator", o.name(), true, 1)
          .set(o.rowsIn());
      operatorMeter(m, job, "sabot.operator.rows.out", "rows out of the operator", o.name(), true,
          1).set(o.rowsOut());
    }
    if (!operators.isEmpty()) m.rejected.set(rejected);
    for (ReferenceTableStatus t : r.references()) {
      operatorMeter(m, job, "sabot.reference.rows", "rows of the reference table the join probes",
          t.join(), false, 1).set(t.rows());
      operatorMeter(m, job, "sabot.reference.versions", "versions of the reference table built "
          + "(1 unless kept live from a changelog)", t.join(), false, 1).set(t.versions());
      // kept in milliseconds, served in seconds as Prometheus expects
      operatorMeter(m, job, "sabot.reference.bootstrap.seconds", "how long the reference "
          + "table's first version took to load and build", t.join(), false, 1e-3)
          .set(t.bootstrapMillis());
      operatorMeter(m, job, "sabot.reference.rows.changed", "rows the changelog's changes removed "
          + "or added in the live reference table, in place", t.join(), true, 1).set(t.rowsChanged());
      if (t.storage() != null) {
        storage(m, job, t.join(), t.storage());
      } else {
        storageUnknown(m, t.join());
      }
      // a later run of the job here that keeps no snapshot clears the earlier run's figures
      snapshot(m, job, t.join(), t.snapshot());
    }
  }

  /** Where a reference table is kept and what that takes. */
  private void storage(JobMeters m, String job, String join, ReferenceTableStatus.Storage s) {
    // the backend as a label: 1 on the one the table is in now, 0 on one an earlier run of the
    // job here chose (auto decides once per run)
    for (var e : m.operators.entrySet()) {
      if (e.getKey().startsWith(BACKEND + "/" + join + "/")) e.getValue().set(0);
    }
    m.operators.computeIfAbsent(BACKEND + "/" + join + "/" + s.backend(), k -> {
      AtomicLong value = new AtomicLong();
      Gauge.builder(BACKEND, value, AtomicLong::get)
          .description("1 on the backend that holds the reference table: memory or rocksdb")
          .tags("job", job, "agent", agent, "operator", join, "backend", s.backend())
          .register(registry);
      return value;
    }).set(1);
    operatorMeter(m, job, "sabot.reference.bytes.in.memory", "bytes the reference table takes in "
        + "memory (memory: its columns, with room for changes, and its index; rocksdb: the "
        + "block cache, memtables and index readers)", join, false, 1).set(s.bytesInMemory());
    operatorMeter(m, job, "sabot.reference.bytes.on.disk", "bytes of the reference table's "
        + "store files (0 in memory)", join, false, 1).set(s.bytesOnDisk());
    operatorMeter(m, job, "sabot.reference.lookups", "lookups of the reference table (memory: "
        + "stream rows probed; rocksdb: keys read, once per stream batch each)", join, true, 1)
        .set(s.lookups());
    setOrClear(m, job, "sabot.reference.block.cache.hit.ratio", "the share of the RocksDB "
        + "store's block reads its cache served", join, 1e-6,
        s.blockCacheHitRate() < 0 ? NONE : Math.round(s.blockCacheHitRate() * 1e6));
  }

  /**
   * The table's storage is not known (not built yet, or its job stopped while it loaded; an older
   * agent's report): no backend holds it, and an earlier run's figures are not served as its own
   * (the lookups, a counter, stay as they were).
   */
  private void storageUnknown(JobMeters m, String join) {
    for (var e : m.operators.entrySet()) {
      if (e.getKey().startsWith(BACKEND + "/" + join + "/")) e.getValue().set(0);
    }
    for (String gauge : List.of("sabot.reference.bytes.in.memory", "sabot.reference.bytes.on.disk",
        "sabot.reference.block.cache.hit.ratio")) {
      setOrClear(m, null, gauge, null, join, 1, NONE);
    }
  }

  /**
   * Sets a gauge a table may not have, registered at its first value; {@code NONE} on one
   * registered already (the figure is gone: a later run of the job here did not restore, or
   * keeps the table in memory) serves NaN instead of the last value.
   */
  private void setOrClear(JobMeters m, String job, String name, String description, String join,
                          double scale, long value) {
    AtomicLong held = value == NONE ? m.operators.get(name + "/" + join)
        : operatorMeter(m, job, name, description, join, false, scale);
    if (held != null) held.set(value);
  }

  /**
   * The snapshot a reference table's changelog reader keeps between runs (state_dir); none
   * ({@code k} null) clears what an earlier run of the job here had.
   */
  private void snapshot(JobMeters m, String job, String join, KeptSnapshot k) {
    setOrClear(m, job, "sabot.reference.snapshot.age.seconds", "how old the reference table's "
        + "snapshot on disk is (a restart now would read the records published since)", join, 1,
        k == null || k.ageSeconds() < 0 ? NONE : k.ageSeconds());
    setOrClear(m, job, "sabot.reference.snapshot.bytes", "bytes of the reference table's "
        + "snapshot file", join, 1, k == null ? NONE : k.bytes());
    setOrClear(m, job, "sabot.reference.restore.seconds", "how long this run took to restore the "
        + "reference table's rows from the snapshot an earlier run kept", join, 1e-3,
        k == null || k.restoreMillis() < 0 ? NONE : k.restoreMillis());
  }

  /**
   * The value behind one operator's meter (a counter, or a gauge served as value x
   * {@code scale}), registered on first use.
   */
  private AtomicLong operatorMeter(JobMeters m, String job, String name, String description,
                                   String operator, boolean counter, double scale) {
    return m.operators.computeIfAbsent(name + "/" + operator, k -> {
      AtomicLong value = new AtomicLong();
      String[] tags = {"job", job, "agent", agent, "operator", operator};
      if (counter) {
        FunctionCounter.builder(name, value, AtomicLong::get).description(description).tags(tags)
            .register(registry);
      } else {
        Gauge.builder(name, value, v -> {
          long now = v.get(); // once: a report may clear it meanwhile
          return now == NONE ? Double.NaN : now * scale;
        }).description(description).tags(tags).register(registry);
      }
      return value;
    });
  }

  private void counter(String name, String description, String job, AtomicLong value) {
    FunctionCounter.builder(name, value, AtomicLong::get).description(description)
        .tags("job", job, "agent", agent).register(registry);
  }

  private void gauge(String name, String description, String job, AtomicLong value) {
    Gauge.builder(name, value, AtomicLong::get).description(description)
        .tags("job", job, "agent", agent).register(registry);
  }

  @Override
  public void close() {
    server.stop(0);
    registry.close();
  }
}
