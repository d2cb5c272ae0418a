package io.sabot.cli;

import io.sabot.cluster.AgentReport;
import io.sabot.cluster.ClusterJob;
import io.sabot.connect.KeptSnapshot;
import io.sabot.reference.ReferenceTableStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code sabot jobs} prints: per job a heading (id, name, state over its agents, when
 * submitted), then a table of its agents' last reports and their total, then the reference
 * tables each agent has:
 *
 * <pre>
 * shared-1f2e3d4c  shared  running  submitted 2025-01-02T10:00:00Z
 *   agent  state    partitions  rows in  rows out  lag  reported
 *   a      running  quotes 0-1    6,000     5,000    0  1 s ago
 *   b      running  quotes 2-3    6,000     5,000    0  0 s ago
 *   total           4            12,000    10,000    0
 *   table enrich on a: 10 rows, 3 versions, loaded in 0.120 s
 * </pre>
 *
 * An agent that died stops reporting: its report grows old. A failed agent's reason follows the
 * table.
 */
final class JobListing {
  private JobListing() {}

  static void print(List<ClusterJob> jobs, Instant now, PrintStream out) {
    if (jobs.isEmpty()) {
      out.println("no jobs");
      return;
    }
    for (ClusterJob j : jobs) {
      out.printf("%s  %s  %s  submitted %s%n", j.id(), j.name(), j.state(),
          j.submittedAt().truncatedTo(ChronoUnit.SECONDS));
      if (j.agents().isEmpty()) {
        out.println("  no agent has started it");
        continue;
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"agent", "state", "partitions", "rows in", "rows out", "lag",
          "reported"});
      for (AgentReport a : j.agents()) {
        rows.add(new String[] {a.agent(), a.state(), partitions(a.partitions()),
            count(a.rowsIn()), count(a.rowsOut()), lag(a.lag()),
            Duration.between(a.updatedAt(), now).toSeconds() + " s ago"});
      }
      rows.add(new String[] {"total", "", Integer.toString(j.partitionCount()),
          count(j.rowsIn()), count(j.rowsOut()), lag(j.lag()), ""});
      table(rows, out);
      for (AgentReport a : j.agents()) {
        for (ReferenceTableStatus t : a.references()) {
          out.printf("  table %s on %s: %s rows, %s version%s, loaded in %.3f s%s%s%n", t.join(),
              a.agent(), count(t.rows()), count(t.versions()), t.versions() == 1 ? "" : "s",
              t.bootstrapMillis() / 1000.0, storage(t.storage()), snapshot(t.snapshot()));
        }
      }
      for (AgentReport a : j.agents()) {
        if (!a.reason().isEmpty()) out.printf("  agent %s: %s%n", a.agent(), a.reason());
      }
    }
  }

  /** Columns padded to their widest cell: text left, numbers (columns 3 to 5) right. */
  private static void table(List<String[]> rows, PrintStream out) {
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int c = 0; c < r.length; c++) width[c] = Math.max(width[c], r[c].length());
    }
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < r.length; c++) {
        boolean right = c >= 3 && c <= 5;
        line.append("  ").append(String.format("%" + (right ? "" : "-") + width[c] + "s", r[c]));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /** {@code quotes 0-3,7}: each topic's partition numbers, runs shortened; "-" for none. */
  static String partitions(Map<String, List<Integer>> byTopic) {
    if (byTopic.isEmpty() || byTopic.values().stream().allMatch(List::isEmpty)) return "-";
    StringBuilder sb = new StringBuilder();
    byTopic.forEach((topic, numbers) -> {
      if (numbers.isEmpty()) return;
      if (sb.length() > 0) sb.append(' ');
      sb.append(topic).append(' ');
      for (int i = 0; i < numbers.size(); ) {
        int k = i;
        while (k + 1 < numbers.size() && numbers.get(k + 1) == numbers.get(k) + 1) k++;
        if (i > 0) sb.append(',');
        sb.append(numbers.get(i));
        if (k > i) sb.append('-').append(numbers.get(k));
        i = k + 1;
      }
    });
    return sb.toString();
  }

  private static String lag(long lag) {
    return lag < 0 ? "-" : count(lag);
  }

  /**
   * {@code ", memory 1.2 MiB"} or {@code ", rocksdb 3.1 MiB in memory, 120.5 MiB on disk, cache
   * hits 97.1%"}; empty when not reported.
   */
  static String storage(ReferenceTableStatus.Storage s) {
    if (s == null) return "";
    if (s.backend().equals(ReferenceTableStatus.Storage.MEMORY)) {
      return ", memory " + mebibytes(s.bytesInMemory());
    }
    return ", " + s.backend() + " " + mebibytes(s.bytesInMemory()) + " in memory, "
        + mebibytes(s.bytesOnDisk()) + " on disk" + (s.blockCacheHitRate() < 0 ? ""
        : String.format(", cache hits %.1f%%", 100 * s.blockCacheHitRate()));
  }

  /** {@code "; snapshot 42 s old (12.0 MiB), restored in 0.850 s"}; empty when none is kept. */
  static String snapshot(KeptSnapshot k) {
    if (k == null) return "";
    String made = k.ageSeconds() < 0 ? "; no snapshot yet"
        : "; snapshot " + k.ageSeconds() + " s old (" + mebibytes(k.bytes()) + ")";
    return made + (k.restoreMillis() < 0 ? ""
        : String.format(", restored in %.3f s", k.restoreMillis() / 1000.0));
  }

  private static String mebibytes(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }

  private static String count(long n) {
    return String.format("%,d", n);
  }
}
