package io.sabot.connect;

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
}
