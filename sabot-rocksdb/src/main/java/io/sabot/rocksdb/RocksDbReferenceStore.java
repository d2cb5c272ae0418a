package io.sabot.rocksdb;

import io.sabot.error.SabotBug;
import io.sabot.graph.OnDuplicate;
import io.sabot.reference.ReferenceStore;
import io.sabot.reference.ReferenceStoreBuilder;
import io.sabot.reference.ReferenceTableStatus;
import io.sabot.types.Schema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.rocksdb.ReadOptions;
import org.rocksdb.TickerType;

/**
 * A loaded reference table in RocksDB, looked up by any number of workers at once, each through
 * its own {@link RocksDbLookup}. Owns its {@link RocksDbHandle}; closing removes its files.
 *
 * <p>A static table is read-only. A live one takes changes ({@link #apply}: one write batch per
 * step, see {@link RocksDbChanges}; {@link #reload}: every key deleted, then loaded anew) from
 * one thread, while batches read the {@link View}s ({@link #pin}: a RocksDB snapshot each) pinned
 * before: a snapshot keeps the values it saw readable whatever is written after it. A live one
 * can also be kept for a later run ({@link #keep}, {@link KeptStore}), which then opens it with
 * the counts it had.
 */
final class RocksDbReferenceStore implements ReferenceStore {
  private final StoreLayout layout;
  private final RocksDbHandle handle;
  // the counts: set by a load, moved by changes (one writer thread)
  private volatile long rows;
  private volatile long keyCount;
  private volatile long replaced;
  private volatile long nullKeyRows;
  private volatile long hidden;
  /** Keys that had more than one row at the load (on_duplicate decided): no change in place then. */
  private long duplicateKeys;
  private RocksDbChanges changes;
  /** Snapshots pinned and not released yet; guarded by this, as {@link #closed}. */
  private final Set<RocksDbView> views = new HashSet<>();
  private boolean closed;
  /** What {@link #storage()} read last, guarded by this: what it says once the store closed. */
  private ReferenceTableStatus.Storage lastStorage =
      new ReferenceTableStatus.Storage("rocksdb", 0, 0, 0, -1);
  final LongAdder lookups = new LongAdder();
  final LongAdder found = new LongAdder();
  private final List<ReadOptions> readOptions = new ArrayList<>();

  RocksDbReferenceStore(StoreLayout layout, RocksDbHandle handle) {
    this.layout = layout;
    this.handle = handle;
  }

  /** The counts of a load that just finished (the first, or a reload). */
  void loaded(long rows, long keyCount, long replaced, long nullKeyRows, long hidden,
              long duplicateKeys) {
    this.rows = rows;
    this.keyCount = keyCount;
    this.replaced = replaced;
    this.nullKeyRows = nullKeyRows;
    this.hidden = hidden;
    this.duplicateKeys = duplicateKeys;
  }

  StoreLayout layout() {
    return layout;
  }

  RocksDbHandle handle() {
    return handle;
  }

  /**
   * Keys that met more than one row at the load: kept with the store, so a reopened one refuses
   * changes alike.
   */
  long duplicateKeys() {
    return duplicateKeys;
  }

  @Override
  public Schema schema() {
    return layout.schema;
  }

  @Override
  public int[] keyColumns() {
    return layout.keyColumns.clone();
  }

  @Override
  public OnDuplicate onDuplicate() {
    return layout.onDuplicate;
  }

  @Override
  public long rowCount() {
    return rows;
  }

  @Override
  public long keyCount() {
    return keyCount;
  }

  @Override
  public long replacedDuplicates() {
    return replaced;
  }

  @Override
  public long nullKeyRows() {
    return nullKeyRows;
  }

  @Override
  public long filteredOutRows() {
    return hidden;
  }

  @Override
  public Map<String, Object> stats() {
    ReferenceTableStatus.Storage now = storage();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bytes_in_memory", now.bytesInMemory());
    m.put("bytes_on_disk", now.bytesOnDisk());
    m.put("lookups", now.lookups());
    m.put("block_cache_hit_rate", now.blockCacheHitRate() < 0 ? "n/a"
        : String.format(Locale.ROOT, "%.1f%%", 100.0 * now.blockCacheHitRate()));
    return m;
  }

  @Override
  public synchronized ReferenceTableStatus.Storage storage() {
    if (!closed) { // the handle is closed only after closed is set, under this lock
      long hit = handle.ticker(TickerType.BLOCK_CACHE_HIT);
      long miss = handle.ticker(TickerType.BLOCK_CACHE_MISS);
      lastStorage = new ReferenceTableStatus.Storage("rocksdb",
          handle.property("rocksdb.block-cache-usage")
              + handle.property("rocksdb.cur-size-all-mem-tables")
              + handle.property("rocksdb.estimate-table-readers-mem"),
          handle.property("rocksdb.total-sst-files-size"), lookups.sum(),
          hit + miss == 0 ? -1 : (double) hit / (hit + miss));
    }
    return lastStorage;
  }

  @Override
  public boolean apply(VectorSchemaRoot removed, boolean[] removedVisible, VectorSchemaRoot added,
                       boolean[] addedVisible) {
    if (duplicateKeys > 0) return false; // the load resolved duplicates: a reload resolves them anew
    if (changes == null) changes = new RocksDbChanges(layout, handle);
    if (!changes.apply(removed, removedVisible, added, addedVisible, rows)) return false;
    rows += changes.rowDelta;
    keyCount += changes.keyDelta;
    hidden += changes.hiddenDelta;
    return true;
  }

  @Override
  public ReferenceStoreBuilder reload() {
    handle.deleteAll(layout.operatorName);
    loaded(0, 0, 0, 0, 0, 0);
    return new RocksDbStoreBuilder(this);
  }

  /**
   * A RocksDB checkpoint and the counts, see {@link KeptStore}; views and lookups go on
   * meanwhile.
   */
  @Override
  public void keep(Path dir, String version, String definition) throws IOException {
    synchronized (this) {
      if (closed) {
        throw new IOException("cannot keep the RocksDB store of " + layout.operatorName + " in "
            + dir + ": the store is closed already; keep it before closing it");
      }
    }
    if (duplicateKeys > 0) {
      // apply() refuses every step of such a store: a restart would load the table anyway
      throw new IOException("the store of " + layout.operatorName + " is not kept: " + duplicateKeys
          + " keys had several rows when it was loaded (on_duplicate decided), and only a load "
          + "resolves them again");
    }
    KeptStore.keep(this, dir, version, definition);
  }

  @Override
  public synchronized View pin() {
    if (closed) throw new SabotBug("a batch pinned the closed RocksDB store of " + layout.operatorName);
    RocksDbView v = new RocksDbView(this, handle.db.getSnapshot());
    views.add(v);
    return v;
  }

  /** Releases the snapshot of {@code v} (once; after the store closed, nothing is left to release). */
  synchronized void release(RocksDbView v) {
    if (views.remove(v) && !closed) handle.db.releaseSnapshot(v.snapshot);
  }

  @Override
  public Reader newReader() {
    ReadOptions read = new ReadOptions().setVerifyChecksums(false);
    synchronized (readOptions) {
      readOptions.add(read);
    }
    return new RocksDbLookup(layout, handle.db, this, read);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (!closed) views.forEach(v -> handle.db.releaseSnapshot(v.snapshot));
      views.clear();
      closed = true;
    }
    handle.close();
    synchronized (readOptions) {
      readOptions.forEach(ReadOptions::close);
      readOptions.clear();
    }
  }
}
