package io.sabot.connect;

import io.sabot.graph.ConnectorSpec;
import io.sabot.graph.OperatorParameters;
import java.util.List;

/**
 * One kind of sink: CSV, JSON-lines or Arrow files, stdout, discard, a Kafka topic. Like
 * {@link SourceConnector}: reads its parameters into a typed {@link ConnectorSpec}, and opens the
 * {@link Sink} a spec describes once the plan knows the stream that feeds it.
 */
public interface SinkConnector {
  /** The parameter that picks this connector: path, stdout, discard, kafka_topic. */
  String selector();

  /** True when the node's parameters pick this connector (by default: the selector is given). */
  default boolean selects(OperatorParameters p) {
    return p.has(selector());
  }

  /** What it writes to, for messages: {@code a file sink (path)}. */
  String description();

  /** The parameters it reads, selector included. */
  List<String> parameters();

  /** Reads the connector's parameters; records every problem on {@code p}, null when any. */
  ConnectorSpec parse(OperatorParameters p);

  /** The spec class {@link #parse} returns. */
  Class<? extends ConnectorSpec> specType();

  /**
   * The sink a spec of this connector describes, fed by {@code context}'s stream.
   *
   * @throws io.sabot.error.InvalidJobException when the spec cannot work with that stream, or
   *         what it names cannot be written
   */
  Sink open(String operator, ConnectorSpec spec, SinkContext context);

  /**
   * True when a flag such as {@code stdout} is given and not false: {@code stdout: yes} picks
   * the stdout sink, whose parse then says that the flag must be true or false.
   */
  static boolean isSet(Object v) {
    return v != null && !Boolean.FALSE.equals(v)
        && !(v instanceof String && ((String) v).trim().equalsIgnoreCase("false"));
  }
}
