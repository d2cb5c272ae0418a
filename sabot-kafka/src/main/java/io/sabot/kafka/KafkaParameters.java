package io.sabot.kafka;

import io.sabot.error.InvalidJobException;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed reads of a kafka_topic SOURCE or SINK node's parameters. Each problem is an
 * {@link InvalidJobException} in the wording of the core connectors:
 * {@code operator=load_quotes parameter=start value=first is not supported; use earliest, latest or committed}.
 */
final class KafkaParameters {
  /** Where a broker started by {@code sabot broker} listens. */
  static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

  private final StreamOperatorNode node;
  private final List<String> problems = new ArrayList<>();

  KafkaParameters(StreamOperatorNode node) {
    this.node = node;
  }

  String operator() {
    return node.name();
  }

  boolean has(String key) {
    return node.parameter(key) != null;
  }

  /** Records a problem; {@link #check()} throws them all at once. */
  void problem(String key, String rest) {
    problems.add("operator=" + node.name() + " parameter=" + key + " " + rest);
  }

  void check() {
    if (!problems.isEmpty()) throw new InvalidJobException(problems);
  }

  /** A non-blank text, or {@code dflt} when absent. */
  String text(String key, String dflt) {
    Object v = node.parameter(key);
    if (v == null) return dflt;
    if (v instanceof Map || v instanceof List || v.toString().isBlank()) {
      problem(key, "value=" + v + " must be a non-empty text");
      return dflt;
    }
    return v.toString().trim();
  }

  boolean flag(String key, boolean dflt) {
    Object v = node.parameter(key);
    if (v == null) return dflt;
    if (v instanceof Boolean) return (Boolean) v;
    String s = v.toString().trim();
    if (s.equalsIgnoreCase("true")) return true;
    if (s.equalsIgnoreCase("false")) return false;
    problem(key, "value=" + v + " must be true or false");
    return dflt;
  }

  /** One of {@code accepted} (lower case, '-' read as '_'), or {@code dflt} when absent. */
  String choice(String key, String dflt, String... accepted) {
    String v = text(key, null);
    if (v == null) return dflt;
    String s = v.toLowerCase(Locale.ROOT).replace('-', '_');
    for (String a : accepted) {
      if (a.equals(s)) return a;
    }
    problem(key, "value=" + v + " is not supported; use " + String.join(", ", accepted));
    return dflt;
  }

  RecordFormat format() {
    String f = text("format", "jsonl");
    RecordFormat parsed = RecordFormat.parse(f);
    if (parsed == null) {
      problem("format", "value=" + f + " is not supported with kafka_topic; use jsonl, csv or arrow");
      return RecordFormat.JSONL;
    }
    return parsed;
  }

  /** The {@code properties} map (Kafka client settings, values as text); empty when absent. */
  Map<String, String> properties() {
    Object v = node.parameter("properties");
    Map<String, String> out = new LinkedHashMap<>();
    if (v == null) return out;
    if (!(v instanceof Map)) {
      problem("properties", "value=" + v + " must be a map of Kafka client settings, e.g. "
          + "{max.poll.records: 2000}");
      return out;
    }
    ((Map<?, ?>) v).forEach((k, value) -> out.put(String.valueOf(k), String.valueOf(value)));
    return out;
  }

  /** The declared {@code schema}, or null when absent. */
  Schema schema() {
    Object v = node.parameter("schema");
    if (v == null) return null;
    if (!(v instanceof Map) || ((Map<?, ?>) v).isEmpty()) {
      problem("schema", "value=" + v + " must be a map of column name to type, "
          + "e.g. {instrumentId: int64, price: float64}");
      return null;
    }
    List<Field> fields = new ArrayList<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
      String column = String.valueOf(e.getKey());
      try {
        fields.add(new Field(column, ColumnType.parse(String.valueOf(e.getValue()))));
      } catch (IllegalArgumentException ex) {
        problem("schema", "column=" + column + " value=" + e.getValue()
            + " is not a type; use int32, int64, float64, string, bool or timestamp");
      }
    }
    return new Schema(fields);
  }
}
