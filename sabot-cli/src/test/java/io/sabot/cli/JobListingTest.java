package io.sabot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.cluster.AgentReport;
import io.sabot.cluster.ClusterJob;
import io.sabot.connect.KeptSnapshot;
import io.sabot.reference.ReferenceTableStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code sabot jobs} prints for the agents' reports. */
class JobListingTest {
  private static final Instant NOW = Instant.parse("2025-01-02T10:00:10Z");

  private static String print(List<ClusterJob> jobs) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    JobListing.print(jobs, NOW, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void shouldShowEachAgentsPartitionsRowsLagAndTablesThenTheTotals() {
    List<ReferenceTableStatus> tables = List.of(new ReferenceTableStatus("enrich", 10, 3, 120),
        new ReferenceTableStatus("products", 2_000_000, 1, 9_500, 0,
            ReferenceTableStatus.Storage.inMemory(150L << 20, 6_000), null),
        new ReferenceTableStatus("profiles", 30_000_000, 4, 2_250, 12,
            new ReferenceTableStatus.Storage("rocksdb", 64L << 20, 3L << 30, 5_000, 0.9712),
            new KeptSnapshot(42, 25L << 20, 850)),
        new ReferenceTableStatus("devices", 0, 0, 0, 0, ReferenceTableStatus.Storage.inMemory(0, 0),
            new KeptSnapshot(-1, 0, -1)));
    ClusterJob job = new ClusterJob("shared-1f2e3d4c", "shared",
        Instant.parse("2025-01-02T10:00:00.250Z"), "{}", List.of(
            new AgentReport("a", "running", 6_000, 5_000, "", NOW.minusSeconds(1),
                Map.of("quotes", List.of(0, 1, 2, 5)), 12, tables, null),
            new AgentReport("b", "running", 16_000, 15_000, "", NOW,
                Map.of("quotes", List.of(3)), 0, List.of(), null),
            new AgentReport("c", "failed", 0, 0, "no file securities.csv", NOW.minusSeconds(9))));
    assertEquals(String.join("\n",
        "shared-1f2e3d4c  shared  running  submitted 2025-01-02T10:00:00Z",
        "  agent  state    partitions    rows in  rows out  lag  reported",
        "  a      running  quotes 0-2,5    6,000     5,000   12  1 s ago",
        "  b      running  quotes 3       16,000    15,000    0  0 s ago",
        "  c      failed   -                   0         0    -  9 s ago",
        "  total           5              22,000    20,000   12",
        "  table enrich on a: 10 rows, 3 versions, loaded in 0.120 s",
        "  table products on a: 2,000,000 rows, 1 version, loaded in 9.500 s, memory 150.0 MiB",
        "  table profiles on a: 30,000,000 rows, 4 versions, loaded in 2.250 s, rocksdb 64.0 MiB "
            + "in memory, 3072.0 MiB on disk, cache hits 97.1%; snapshot 42 s old (25.0 MiB), "
            + "restored in 0.850 s",
        "  table devices on a: 0 rows, 0 versions, loaded in 0.000 s, memory 0.0 MiB; no "
            + "snapshot yet",
        "  agent c: no file securities.csv",
        ""), print(List.of(job)));
  }

  @Test
  void shouldSayWhenThereIsNothingToShow() {
    assertEquals("no jobs\n", print(List.of()));
    ClusterJob fresh = new ClusterJob("j-1", "j", Instant.parse("2025-01-02T10:00:00Z"), "{}",
        List.of());
    assertEquals("j-1  j  submitted  submitted 2025-01-02T10:00:00Z\n  no agent has started it\n",
        print(List.of(fresh)));
  }
}
