package io.sabot.reference;

import io.sabot.graph.OnDuplicate;
import io.sabot.types.Schema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

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
 *
 * <p>A live table (one read from a changelog) also takes changes ({@link #apply}, or a full
 * {@link #reload}) while it is read, and each stream batch reads one version of it: the batch
 * {@link #pin()}s a {@link View} and every lookup of that batch reads it, so changes applied
 * after the pin stay invisible to the batch. A store that does not support this keeps the
 * defaults (a static table only).
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
   * Where the table is kept and what that takes, as it is now. Safe on any thread, also while
   * or after the store closes (then the figures it had last): a running job's progress reads it
   * every second.
   */
  ReferenceTableStatus.Storage storage();

  /**
   * For the summary, in a stable order: {@code bytes_in_memory}, {@code bytes_on_disk},
   * {@code lookups}, {@code block_cache_hit_rate} and whatever else the store counts.
   */
  Map<String, Object> stats();

  /** A reader for one worker thread (it reuses its buffers from batch to batch). */
  Reader newReader();

  /**
   * Applies one changelog step in place (one thread at a time, the one that pins):
   * {@code removed}, the earlier rows of the keys changed or deleted, and {@code added}, the
   * current rows of the keys inserted or changed (an update is in both), in this store's schema;
   * {@code removedVisible[row]} and {@code addedVisible[row]} are false for rows the join's
   * reference filter hides (null: none hidden). The removed rows are those the table was loaded
   * or last changed with (the feed's), so a store may trust that it holds them. True when applied
   * exactly as a reload from a snapshot would leave the table; false, changing nothing, when it
   * cannot be (a key would get a second row and on_duplicate would decide): the caller then
   * {@link #reload}s it. Views pinned before keep reading the rows as they were.
   */
  boolean apply(VectorSchemaRoot removed, boolean[] removedVisible, VectorSchemaRoot added,
                boolean[] addedVisible);

  /**
   * Empties the store and loads it anew from a full snapshot, through the builder returned (its
   * {@link ReferenceStoreBuilder#finish} returns this store); views pinned before keep reading
   * the rows as they were.
   */
  ReferenceStoreBuilder reload();

  /**
   * Keeps a copy of the store as it is now in {@code dir}, replacing the one there, for a later
   * run to open instead of loading the table again
   * ({@link ReferenceStoreProvider#openKept}): with {@code version}, the version of the feed's
   * rows it holds, and {@code definition}, what turned those rows into this table (the later
   * run's must be the same). One thread at a time, the one that applies changes.
   *
   * @throws IOException when the copy cannot be made; the store itself is unchanged
   */
  default void keep(Path dir, String version, String definition) throws IOException {
    throw new IOException("this store cannot be kept between runs");
  }

  /**
   * The store as it is now, for one stream batch's lookups ({@link Reader#lookup(View,
   * FieldVector[], int[], int, BufferAllocator)}); the caller closes it when the batch is done.
   */
  View pin();

  @Override
  void close();

  /** One version of a store, read by one batch; close it (once) when the batch is done. */
  interface View extends AutoCloseable {
    @Override
    void close();
  }

  /** Looks up the keys of one batch at a time; owned by one thread. */
  interface Reader {
    /**
     * The reference rows matching the keys of probe rows {@code rows[0..n)} ({@code -1}: no
     * row), read from one consistent snapshot of the store, as a table with this store's schema
     * that the caller owns and closes. Rows with a null key part match nothing.
     */
    default ReferenceTable lookup(FieldVector[] probeKeys, int[] rows, int n,
                                  BufferAllocator allocator) {
      return lookup(null, probeKeys, rows, n, allocator);
    }

    /** As {@link #lookup(FieldVector[], int[], int, BufferAllocator)}, reading {@code view} (null: the store now). */
    ReferenceTable lookup(View view, FieldVector[] probeKeys, int[] rows, int n,
                          BufferAllocator allocator);
  }
}
