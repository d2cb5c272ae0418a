package io.sabot.graph;

import java.util.Map;

/**
 * The typed parameters of one connector (a CSV file, a Kafka topic, stdout ...), contributed by
 * that connector through {@link ConnectorSpecParser} and held by a {@link SourceSpec} or
 * {@link SinkSpec}. Implementations are records, so two specs of the same parameters are equal.
 */
public interface ConnectorSpec {
  /** Job-file parameters that parse back to an equal spec. */
  Map<String, Object> toParameters();

  /**
   * The file or folder this connector reads or writes, as written in the job (relative to the
   * job's folder; may be a glob for a source), or null when it reads or writes no file.
   */
  default String path() {
    return null;
  }
}
