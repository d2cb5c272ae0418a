package io.sabot.reference;

import io.sabot.graph.OnDuplicate;
import io.sabot.types.Schema;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/**
 * A reference table kept outside the Java heap (a RocksDB store), for tables larger than memory.
 * Built once by a {@link ReferenceStoreBuilder}; then read-only. It is not probed row by row:
 * for each stream batch a worker looks up the batch's keys at once ({@link Reader#lookup}), and
 * gets back a small in-memory {@link ReferenceTable} of just the rows those keys match, which the
 * join probes and gathers from like any table, and closes when the batch is done.
 *
 * <pre>
 *   stream batch keys ─► distinct, sorted ─► one multi-get, one snapshot ─► matched rows
 *                                                     ─► ReferenceTable (this batch only)
 * </pre>
 */
public interface ReferenceStore extends AutoCloseable {
  /** The table's columns (keys and payload), as the reference pipeline gives them. */
  Schema schema();

  int[] keyColumns();

  OnDuplicate onDuplicate();

  /** Reference rows loaded (including rows with null keys and replaced duplicates). */
  long rowCount();

  /** Distinct non-null keys stored. */
  long keyCount();

  /** Rows that shared a key with an earlier row (as {@link ReferenceTable#replacedDuplicates}). */
  long replacedDuplicates();

  /** Rows with a null in any key column: never stored. */
  long nullKeyRows();

  /** Rows the join's reference filter hides (as {@link ReferenceTable#filteredOutRows}). */
  long filteredOutRows();

  /**
   * For the summary, in a stable order: {@code bytes_in_memory}, {@code bytes_on_disk},
   * {@code lookups}, {@code block_cache_hit_rate} and whatever else the store counts.
   */
  Map<String, Object> stats();

  /** A reader for one worker thread (it reuses its buffers from batch to batch). */
  Reader newReader();

  @Override
  void close();

  /** Looks up the keys of one batch at a time; owned by one thread. */
  interface Reader {
    /**
     * The reference rows matching the keys of probe rows {@code rows[0..n)} ({@code -1}: no
     * row), read from one consistent snapshot of the store, as a table with this store's schema
     * that the caller owns and closes. Rows with a null key part match nothing.
     */
    ReferenceTable lookup(FieldVector[] probeKeys, int[] rows, int n, BufferAllocator allocator);
  }
}
