package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sabot.cluster.AgentReport;
import io.sabot.cluster.AgentSummary;
import io.sabot.connect.KeptSnapshot;
import io.sabot.graph.OperatorType;
import io.sabot.reference.ReferenceTableStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An agent's report as its status record, and a record written before reports had more. */
class StatusRecordsTest {
  private static final Instant AT = Instant.parse("2025-01-02T10:00:00Z");

  @Test
  void shouldReadBackEveryFieldOfAReport() throws Exception {
    AgentSummary summary = new AgentSummary(2, 1_500, 1_200, 4_096, List.of(
        new AgentSummary.Operator("securities", OperatorType.SOURCE, 10, 10,
            Map.of("rejected", 0L), true),
        new AgentSummary.Operator("enrich", OperatorType.HASH_JOIN, 600, 500,
            Map.of("matched", 500L, "note", "text"), false)),
        List.of("a warning"), List.of("dead-letters"));
    AgentReport report = new AgentReport("a1", "finished", 600, 500, "", AT,
        Map.of("quotes", List.of(2, 0)), 7, List.of(new ReferenceTableStatus("enrich", 10, 3, 120, 44),
            new ReferenceTableStatus("products", 2_000, 1, 40, 0,
                ReferenceTableStatus.Storage.inMemory(81_920, 600), null),
            new ReferenceTableStatus("profiles", 30_000_000, 4, 2_250, 12,
                new ReferenceTableStatus.Storage("rocksdb", 64L << 20, 3L << 30, 5_000, 0.9712),
                new KeptSnapshot(42, 25L << 20, 850)),
            new ReferenceTableStatus("devices", 0, 1, 5, 0,
                new ReferenceTableStatus.Storage("rocksdb", 0, 0, 0, -1), new KeptSnapshot(-1, 0, -1))),
        summary);
    StatusRecords.Read read = StatusRecords.decode(StatusRecords.encode("job-1", report));
    assertEquals("job-1", read.job());
    assertEquals(report, read.report());
    assertEquals(List.of(0, 2), read.report().partitions().get("quotes"), "sorted");
  }

  @Test
  void shouldReadARecordOfAnOlderAgentWithDefaults() throws Exception {
    byte[] old = ("{\"job\":\"job-1\",\"agent\":\"a1\",\"state\":\"running\",\"rows_in\":5,"
        + "\"rows_out\":4,\"reason\":\"\",\"updated_at\":\"2025-01-02T10:00:00Z\"}")
        .getBytes(StandardCharsets.UTF_8);
    AgentReport r = StatusRecords.decode(old).report();
    assertEquals(new AgentReport("a1", "running", 5, 4, "", AT), r);
    assertEquals(Map.of(), r.partitions());
    assertEquals(-1, r.lag());
    assertEquals(List.of(), r.references());
    assertNull(r.summary());
  }

  @Test
  void shouldReadATableReportedWithoutItsStorageAsUnknown() throws Exception {
    byte[] old = ("{\"job\":\"job-1\",\"agent\":\"a1\",\"state\":\"running\",\"rows_in\":5,"
        + "\"rows_out\":4,\"reason\":\"\",\"updated_at\":\"2025-01-02T10:00:00Z\","
        + "\"references\":[{\"join\":\"enrich\",\"rows\":10,\"versions\":2,"
        + "\"bootstrap_ms\":120,\"rows_changed\":4}]}").getBytes(StandardCharsets.UTF_8);
    assertEquals(List.of(new ReferenceTableStatus("enrich", 10, 2, 120, 4, null, null)),
        StatusRecords.decode(old).report().references());
  }
}
