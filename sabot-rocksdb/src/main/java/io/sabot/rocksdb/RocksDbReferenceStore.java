package io.sabot.rocksdb;

import io.sabot.graph.OnDuplicate;
import io.sabot.reference.ReferenceStore;
import io.sabot.types.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.rocksdb.ReadOptions;
import org.rocksdb.TickerType;

/**
 * A loaded reference table in RocksDB: read-only, looked up by any number of workers at once,
 * each through its own {@link RocksDbLookup}. Owns its {@link RocksDbHandle}; closing removes its
 * files.
 */
final class RocksDbReferenceStore implements ReferenceStore {
  private final StoreLayout layout;
  private final RocksDbHandle handle;
  private final long rows;
  private final long keyCount;
  private final long replaced;
  private final long nullKeyRows;
  private final long hidden;
  final LongAdder lookups = new LongAdder();
  final LongAdder found = new LongAdder();
  private final List<ReadOptions> readOptions = new ArrayList<>();

  RocksDbReferenceStore(StoreLayout layout, RocksDbHandle handle, long rows, long keyCount,
                        long replaced, long nullKeyRows, long hidden) {
    this.layout = layout;
    this.handle = handle;
    this.rows = rows;
    this.keyCount = keyCount;
    this.replaced = replaced;
    this.nullKeyRows = nullKeyRows;
    this.hidden = hidden;
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
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bytes_in_memory", handle.property("rocksdb.block-cache-usage")
        + handle.property("rocksdb.cur-size-all-mem-tables")
        + handle.property("rocksdb.estimate-table-readers-mem"));
    m.put("bytes_on_disk", handle.property("rocksdb.total-sst-files-size"));
    m.put("lookups", lookups.sum());
    long hit = handle.ticker(TickerType.BLOCK_CACHE_HIT);
    long miss = handle.ticker(TickerType.BLOCK_CACHE_MISS);
    m.put("block_cache_hit_rate", hit + miss == 0 ? "n/a"
        : String.format("%.1f%%", 100.0 * hit / (hit + miss)));
    return m;
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
    handle.close();
    synchronized (readOptions) {
      readOptions.forEach(ReadOptions::close);
      readOptions.clear();
    }
  }
}
