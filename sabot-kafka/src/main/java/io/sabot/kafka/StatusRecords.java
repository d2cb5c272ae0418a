package io.sabot.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sabot.cluster.AgentReport;
import io.sabot.cluster.AgentSummary;
import io.sabot.connect.KeptSnapshot;
import io.sabot.graph.OperatorType;
import io.sabot.reference.ReferenceTableStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An agent's report on a job as the JSON value of its record on the status topic (key: job and
 * agent). A field a report lacks (one written by an older agent) reads as its default: no
 * partitions, lag -1 (unknown), no tables, a table's storage unknown (no "backend"), no
 * snapshot, no summary.
 *
 * <pre>
 *   {"job", "agent", "state", "rows_in", "rows_out", "reason", "updated_at",
 *    "partitions": {"quotes": [0, 2]}, "lag": 0,
 *    "references": [{"join", "rows", "versions", "bootstrap_ms", "rows_changed",
 *                    "backend", "bytes_in_memory", "bytes_on_disk", "lookups",
 *                    "block_cache_hit_rate",                   (-1: none)
 *                    "snapshot": {"age_seconds", "bytes", "restore_ms"}}],   (state_dir only)
 *    "summary": {"threads", "wall_ms", "stream_ms", "peak_arrow_bytes", "warnings": [...],
 *                "dead_letters": [...], "operators": [{"name", "type", "rows_in", "rows_out",
 *                "details": {...}, "feeds_reference"}]}}       (summary: finished or stopped)
 * </pre>
 */
final class StatusRecords {
  /** A status record read back: the job it is about, and the report. */
  record Read(String job, AgentReport report) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusRecords() {}

  static byte[] encode(String jobId, AgentReport r) {
    ObjectNode root = JSON.createObjectNode();
    root.put("job", jobId);
    root.put("agent", r.agent());
    root.put("state", r.state());
    root.put("rows_in", r.rowsIn());
    root.put("rows_out", r.rowsOut());
    root.put("reason", r.reason());
    root.put("updated_at", r.updatedAt().toString());
    ObjectNode partitions = root.putObject("partitions");
    r.partitions().forEach((topic, numbers) -> {
      ArrayNode a = partitions.putArray(topic);
      numbers.forEach(a::add);
    });
    root.put("lag", r.lag());
    ArrayNode references = root.putArray("references");
    for (ReferenceTableStatus t : r.references()) {
      ObjectNode table = references.addObject().put("join", t.join()).put("rows", t.rows())
          .put("versions", t.versions()).put("bootstrap_ms", t.bootstrapMillis())
          .put("rows_changed", t.rowsChanged());
      ReferenceTableStatus.Storage s = t.storage();
      if (s != null) {
        table.put("backend", s.backend()).put("bytes_in_memory", s.bytesInMemory())
            .put("bytes_on_disk", s.bytesOnDisk()).put("lookups", s.lookups())
            .put("block_cache_hit_rate", s.blockCacheHitRate());
      }
      KeptSnapshot k = t.snapshot();
      if (k != null) {
        table.putObject("snapshot").put("age_seconds", k.ageSeconds()).put("bytes", k.bytes())
            .put("restore_ms", k.restoreMillis());
      }
    }
    if (r.summary() != null) root.set("summary", summary(r.summary()));
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode summary(AgentSummary s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("threads", s.threads());
    n.put("wall_ms", s.wallMillis());
    n.put("stream_ms", s.streamMillis());
    n.put("peak_arrow_bytes", s.peakArrowBytes());
    s.warnings().forEach(n.putArray("warnings")::add);
    s.deadLetters().forEach(n.putArray("dead_letters")::add);
    ArrayNode operators = n.putArray("operators");
    for (AgentSummary.Operator o : s.operators()) {
      ObjectNode line = operators.addObject();
      line.put("name", o.name());
      line.put("type", o.type().name());
      line.put("rows_in", o.rowsIn());
      line.put("rows_out", o.rowsOut());
      ObjectNode details = line.putObject("details");
      o.details().forEach((k, v) -> {
        if (v instanceof Number) details.put(k, ((Number) v).longValue());
        else details.put(k, String.valueOf(v));
      });
      line.put("feeds_reference", o.feedsReference());
    }
    return n;
  }

  /** A status record's value; what it lacks takes its default. */
  static Read decode(byte[] value) throws IOException {
    JsonNode r = JSON.readTree(value);
    Map<String, List<Integer>> partitions = new TreeMap<>();
    r.path("partitions").fields().forEachRemaining(e -> {
      List<Integer> numbers = new ArrayList<>();
      e.getValue().forEach(n -> numbers.add(n.asInt()));
      partitions.put(e.getKey(), numbers);
    });
    List<ReferenceTableStatus> references = new ArrayList<>();
    for (JsonNode t : r.path("references")) {
      ReferenceTableStatus.Storage storage = !t.has("backend") ? null
          : new ReferenceTableStatus.Storage(t.path("backend").asText(),
              t.path("bytes_in_memory").asLong(), t.path("bytes_on_disk").asLong(),
              t.path("lookups").asLong(), t.path("block_cache_hit_rate").asDouble(-1));
      JsonNode k = t.path("snapshot");
      KeptSnapshot snapshot = !k.isObject() ? null : new KeptSnapshot(
          k.path("age_seconds").asLong(-1), k.path("bytes").asLong(), k.path("restore_ms").asLong(-1));
      references.add(new ReferenceTableStatus(t.path("join").asText(), t.path("rows").asLong(),
          t.path("versions").asLong(), t.path("bootstrap_ms").asLong(),
          t.path("rows_changed").asLong(), storage, snapshot));
    }
    JsonNode s = r.path("summary");
    AgentReport report = new AgentReport(r.path("agent").asText(), r.path("state").asText(),
        r.path("rows_in").asLong(), r.path("rows_out").asLong(), r.path("reason").asText(""),
        Instant.parse(r.path("updated_at").asText()), partitions, r.path("lag").asLong(-1),
        references, s.isObject() ? summary(s) : null);
    return new Read(r.path("job").asText(), report);
  }

  private static AgentSummary summary(JsonNode s) {
    List<AgentSummary.Operator> operators = new ArrayList<>();
    for (JsonNode o : s.path("operators")) {
      Map<String, Object> details = new LinkedHashMap<>();
      o.path("details").fields().forEachRemaining(e -> details.put(e.getKey(),
          e.getValue().isNumber() ? (Object) e.getValue().asLong() : e.getValue().asText()));
      operators.add(new AgentSummary.Operator(o.path("name").asText(),
          OperatorType.valueOf(o.path("type").asText()), o.path("rows_in").asLong(),
          o.path("rows_out").asLong(), details, o.path("feeds_reference").asBoolean()));
    }
    return new AgentSummary(s.path("threads").asInt(), s.path("wall_ms").asLong(),
        s.path("stream_ms").asLong(), s.path("peak_arrow_bytes").asLong(), operators,
        texts(s.path("warnings")), texts(s.path("dead_letters")));
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
