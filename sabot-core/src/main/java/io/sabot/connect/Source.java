package io.sabot.connect;

import java.util.OptionalLong;
import io.sabot.types.Schema;
import java.util.List;

/**
 * Where a stream or a reference table comes from. A source knows its full schema before any row
 * is read (declared, inferred from a sample, or read from a file header) and is split into
 * partitions: order is kept within a partition, and partitions may be read in parallel.
 */
public interface Source {
  /** Every column this source can produce. */
  Schema schema();

  /** The partitions, in a stable order (for files: the files, sorted by name). */
  List<SourcePartition> partitions();

  /** False for a source that never ends by itself (an unbounded topic): only a stop ends it. */
  default boolean isBounded() {
    return true;
  }

  /**
   * True when a run starts where the previous run's committed position left off (a topic read
   * from its group's committed offsets), so each run reads only new records: a file sink must
   * then add to its output rather than replace it.
   */
  default boolean resumesFromCommittedPositions() {
    return false;
  }

  /**
   * About how many rows a full read gives, when the source can tell without reading its data
   * (the optimizer probes the smaller reference table first); empty when it cannot.
   */
  default OptionalLong estimatedRows() {
    return OptionalLong.empty();
  }

  /** For messages: what this source reads, e.g. {@code kafka_topic=quotes group_id=sabot-q}. */
  default String describe() {
    return getClass().getSimpleName();
  }
}
