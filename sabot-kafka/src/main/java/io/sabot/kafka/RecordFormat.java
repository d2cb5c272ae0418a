package io.sabot.kafka;

import io.sabot.graph.OperatorParameters;
import java.util.Locale;

/**
 * How a topic's record values are encoded. jsonl: one JSON object per record; csv: one CSV record
 * per record (no header; fields in schema order); arrow: one Arrow IPC stream (schema, one batch)
 * per record, decoded without per-row work.
 */
enum RecordFormat {
  JSONL, CSV, ARROW;

  static RecordFormat parse(String name) {
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "jsonl": case "json": return JSONL;
      case "csv": return CSV;
      case "arrow": return ARROW;
      default: return null;
    }
  }

  /** A topic's {@code format} parameter (default jsonl); a bad one is recorded on {@code p}. */
  static RecordFormat of(OperatorParameters p) {
    String f = p.text("format", "jsonl");
    RecordFormat parsed = parse(f);
    if (parsed == null) {
      p.problem("format", "value=" + f + " is not supported with kafka_topic; use jsonl, csv or arrow");
      return JSONL;
    }
    return parsed;
  }

  String jobName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
