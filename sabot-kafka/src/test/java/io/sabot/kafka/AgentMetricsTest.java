package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.cluster.AgentReport;
import io.sabot.connect.KeptSnapshot;
import io.sabot.reference.ReferenceTableStatus;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An agent's reference-table meters, as a Prometheus scraper reads them over HTTP: a table kept
 * in RocksDB with a snapshot, then the same table back in memory (an {@code auto} table a later
 * run kept in memory), and a table whose report says nothing of its storage.
 */
class AgentMetricsTest {
  private static final String JOB = "enrich-1";

  private static String scrape(AgentMetrics metrics) throws Exception {
    try (InputStream in = URI.create("http://127.0.0.1:" + metrics.port() + "/metrics").toURL()
        .openStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The value of the sample {@code name{agent, [backend,] job, operator}}, or -2 when absent. */
  private static double sample(String text, String name, String operator, String... backend) {
    String series = name + "{agent=\"a1\","
        + (backend.length == 0 ? "" : "backend=\"" + backend[0] + "\",")
        + "job=\"" + JOB + "\",operator=\"" + operator + "\"} ";
    return text.lines().filter(l -> l.startsWith(series)).findFirst()
        .map(l -> Double.parseDouble(l.substring(series.length()).trim())).orElse(-2.0);
  }

  private static AgentReport report(ReferenceTableStatus... tables) {
    return new AgentReport("a1", "running", 10, 10, "", Instant.now(), Map.of(), 0,
        List.of(tables), null);
  }

  @Test
  void shouldServeEachTablesStorageAndSnapshot() throws Exception {
    try (AgentMetrics metrics = new AgentMetrics("a1", 0)) {
      metrics.update(JOB, report(
          new ReferenceTableStatus("profiles", 30_000, 4, 2_250, 12,
              new ReferenceTableStatus.Storage("rocksdb", 64L << 20, 3L << 30, 5_000, 0.9712),
              new KeptSnapshot(42, 25L << 20, 850)),
          new ReferenceTableStatus("old", 10, 1, 5)), List.of());
      String m = scrape(metrics);
      assertEquals(1.0, sample(m, "sabot_reference_backend", "profiles", "rocksdb"), m);
      assertEquals(64L << 20, sample(m, "sabot_reference_bytes_in_memory", "profiles"), m);
      assertEquals(3L << 30, sample(m, "sabot_reference_bytes_on_disk", "profiles"), m);
      assertEquals(5_000.0, sample(m, "sabot_reference_lookups_total", "profiles"), m);
      assertEquals(0.9712, sample(m, "sabot_reference_block_cache_hit_ratio", "profiles"), 1e-6, m);
      assertEquals(42.0, sample(m, "sabot_reference_snapshot_age_seconds", "profiles"), m);
      assertEquals(25L << 20, sample(m, "sabot_reference_snapshot_bytes", "profiles"), m);
      assertEquals(0.85, sample(m, "sabot_reference_restore_seconds", "profiles"), 1e-9, m);
      // a report without storage (an older agent's): its rows, none of the storage's meters
      assertEquals(10.0, sample(m, "sabot_reference_rows", "old"), m);
      assertEquals(-2.0, sample(m, "sabot_reference_bytes_in_memory", "old"), m);
      assertEquals(-2.0, sample(m, "sabot_reference_backend", "old", "memory"), m);

      // the table in memory now, with a snapshot written but not restored from
      metrics.update(JOB, report(new ReferenceTableStatus("profiles", 30_000, 1, 900, 0,
          ReferenceTableStatus.Storage.inMemory(2L << 20, 6_000), new KeptSnapshot(3, 1L << 20, -1))),
          List.of());
      m = scrape(metrics);
      assertEquals(1.0, sample(m, "sabot_reference_backend", "profiles", "memory"), m);
      assertEquals(0.0, sample(m, "sabot_reference_backend", "profiles", "rocksdb"), "left: " + m);
      assertEquals(2L << 20, sample(m, "sabot_reference_bytes_in_memory", "profiles"), m);
      assertEquals(0.0, sample(m, "sabot_reference_bytes_on_disk", "profiles"), m);
      assertEquals(6_000.0, sample(m, "sabot_reference_lookups_total", "profiles"), m);
      assertEquals(3.0, sample(m, "sabot_reference_snapshot_age_seconds", "profiles"), m);
      // the earlier run's figures this one does not have: no value, not the old one
      assertEquals(Double.NaN, sample(m, "sabot_reference_restore_seconds", "profiles"), m);
      assertEquals(Double.NaN, sample(m, "sabot_reference_block_cache_hit_ratio", "profiles"), m);

      // a later run without state_dir keeps no snapshot: none of its figures stays
      metrics.update(JOB, report(new ReferenceTableStatus("profiles", 30_000, 1, 900, 0,
          ReferenceTableStatus.Storage.inMemory(2L << 20, 7_000), null)), List.of());
      m = scrape(metrics);
      assertEquals(Double.NaN, sample(m, "sabot_reference_snapshot_age_seconds", "profiles"), m);
      assertEquals(Double.NaN, sample(m, "sabot_reference_snapshot_bytes", "profiles"), m);
      assertEquals(Double.NaN, sample(m, "sabot_reference_restore_seconds", "profiles"), m);
      assertEquals(-2.0, sample(m, "sabot_reference_snapshot_bytes", "old"), "never had one: " + m);

      // the next run, its table not built yet: no backend holds it, no earlier run's bytes
      metrics.update(JOB, report(new ReferenceTableStatus("profiles", 0, 0, 0)), List.of());
      m = scrape(metrics);
      assertEquals(0.0, sample(m, "sabot_reference_backend", "profiles", "memory"), m);
      assertEquals(0.0, sample(m, "sabot_reference_backend", "profiles", "rocksdb"), m);
      assertEquals(Double.NaN, sample(m, "sabot_reference_bytes_in_memory", "profiles"), m);
      assertEquals(Double.NaN, sample(m, "sabot_reference_bytes_on_disk", "profiles"), m);
      assertEquals(7_000.0, sample(m, "sabot_reference_lookups_total", "profiles"), "a counter: " + m);
    }
  }
}
