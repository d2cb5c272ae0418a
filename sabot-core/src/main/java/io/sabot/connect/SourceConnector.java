package io.sabot.connect;

import io.sabot.graph.ConnectorSpec;
import io.sabot.graph.OperatorParameters;
import io.sabot.graph.SourceSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * One kind of source: CSV, JSON-lines or Arrow files, the workload generator, a memory table, a
 * Kafka topic. It reads its part of a SOURCE node's parameters into a typed
 * {@link ConnectorSpec} when the job is planned, and opens the {@link Source} a spec describes.
 * Connectors come from {@link ConnectorProvider}s; {@link Connectors} picks the one whose
 * {@link #selector()} a node gives.
 */
public interface SourceConnector {
  /** The parameter whose presence picks this connector: path, generator, memory, kafka_topic. */
  String selector();

  /** What it reads, for messages: {@code a file source (path)}. */
  String description();

  /**
   * False for a connector that only a tool uses (the benchmark's live generator): it still opens
   * the sources that name it, but the message for a SOURCE that names no connector leaves it out.
   */
  default boolean listed() {
    return true;
  }

  /** The parameters it reads, selector included; {@link SourceSpec#PARAMETERS} come on top. */
  List<String> parameters();

  /**
   * Reads the connector's parameters. Records every problem on {@code p} (named as
   * {@link OperatorParameters#problem} names them) and returns null when there is one; reads no
   * data.
   */
  ConnectorSpec parse(OperatorParameters p);

  /** The spec class {@link #parse} returns. */
  Class<? extends ConnectorSpec> specType();

  /**
   * The source a spec of this connector describes; relative paths resolve against
   * {@code baseDir}. May learn the schema (read a header, sample rows) but reads no batch.
   *
   * @throws io.sabot.error.InvalidJobException when what the spec names cannot be read
   */
  Source open(String operator, SourceSpec spec, Path baseDir);
}
