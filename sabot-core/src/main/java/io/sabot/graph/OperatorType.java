package io.sabot.graph;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a {@link StreamOperatorNode} does. */
public enum OperatorType {
  /** Reads a file, a generator or a topic. No inputs. */
  SOURCE(0),
  /** Keeps the rows for which a condition is true. One input. */
  FILTER(1),
  /** Keeps and renames columns. One input. */
  SELECT(1),
  /** Enriches its first input (the stream) with its second (the reference table). Two inputs. */
  HASH_JOIN(2),
  /** Writes rows to a file, stdout, a topic, or nowhere. One input. */
  SINK(1);

  private final int inputCount;

  OperatorType(int inputCount) {
    this.inputCount = inputCount;
  }

  /** How many inputs an operator of this type takes. */
  public int inputCount() {
    return inputCount;
  }

  public static OperatorType parse(String name) {
    String n = name.trim().toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
    if (n.equals("JOIN")) return HASH_JOIN;
    try {
      return valueOf(n);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown operator type '" + name + "'; known types: "
          + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
  }
}
