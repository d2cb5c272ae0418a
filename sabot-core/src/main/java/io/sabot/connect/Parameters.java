package io.sabot.connect;

import io.sabot.connect.file.FileFormat;
import io.sabot.error.InvalidJobException;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.types.ColumnType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed reads of a SOURCE or SINK node's parameters, each failing with an
 * {@link InvalidJobException} that names the operator, the parameter, the value and what is
 * accepted ({@code operator=load_quotes parameter=rows value=many must be a whole number >= 0}).
 */
final class Parameters {
  private final StreamOperatorNode node;

  Parameters(StreamOperatorNode node) {
    this.node = node;
  }

  String operator() {
    return node.name();
  }

  boolean has(String key) {
    return node.parameter(key) != null;
  }

  /** {@code operator=X parameter=key} + rest, as an exception to throw. */
  InvalidJobException problem(String key, String rest) {
    return new InvalidJobException("operator=" + node.name() + " parameter=" + key + " " + rest);
  }

  /** Fails on keys outside {@code accepted}, listing them all. */
  void checkKeys(Set<String> accepted, List<String> acceptedInOrder) {
    for (String key : node.parameters().keySet()) {
      if (!accepted.contains(key)) {
        throw problem(key, "is not a " + node.operatorType() + " parameter; accepted: "
            + String.join(", ", acceptedInOrder));
      }
    }
  }

  /** A non-blank text, or null when absent. */
  String text(String key) {
    Object v = node.parameter(key);
    if (v == null) return null;
    if (v instanceof Map || v instanceof List || v.toString().isBlank()) {
      throw problem(key, "value=" + v + " must be a non-empty text");
    }
    return v.toString();
  }

  /** A whole number >= 0, or {@code dflt} when absent. Accepts {@code 1_000_000} as text. */
  long count(String key, long dflt) {
    Object v = node.parameter(key);
    if (v == null) return dflt;
    try {
      long n;
      if (v instanceof Number) {
        double d = ((Number) v).doubleValue();
        n = ((Number) v).longValue();
        if (d != n) throw new NumberFormatException();
      } else {
        n = Long.parseLong(v.toString().trim().replace("_", ""));
      }
      if (n < 0) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw problem(key, "value=" + v + " must be a whole number >= 0");
    }
  }

  /** true/false (also as text); {@code false} when absent. */
  boolean flag(String key) {
    Object v = node.parameter(key);
    if (v == null) return false;
    if (v instanceof Boolean) return (Boolean) v;
    String s = v.toString().trim();
    if (s.equalsIgnoreCase("true")) return true;
    if (s.equalsIgnoreCase("false")) return false;
    throw problem(key, "value=" + v + " must be true or false");
  }

  /** The {@code format} parameter, or null when absent. */
  FileFormat format(String also) {
    String f = text("format");
    if (f == null) return null;
    FileFormat parsed = FileFormat.parse(f);
    if (parsed == null) {
      throw problem("format", "value=" + f + " is not supported; use " + FileFormat.ACCEPTED + also);
    }
    return parsed;
  }

  /** The {@code schema} map (name -> type), in the given order; empty when absent. */
  Map<String, ColumnType> schema() {
    Object v = node.parameter("schema");
    Map<String, ColumnType> out = new LinkedHashMap<>();
    if (v == null) return out;
    if (!(v instanceof Map)) {
      throw problem("schema", "value=" + v + " must be a map of column name to type, "
          + "e.g. {instrumentId: int64, price: float64}");
    }
    for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
      String column = String.valueOf(e.getKey());
      try {
        out.put(column, ColumnType.parse(String.valueOf(e.getValue())));
      } catch (IllegalArgumentException ex) {
        throw problem("schema", "column=" + column + " value=" + e.getValue()
            + " is not a type; use int32, int64, float64, string, bool or timestamp");
      }
    }
    return out;
  }
}
