package io.sabot.rocksdb;

import io.sabot.connect.file.Folders;
import io.sabot.error.JobExecutionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.CompressionType;
import org.rocksdb.DataBlockIndexType;
import org.rocksdb.HyperClockCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Statistics;
import org.rocksdb.StatsLevel;
import org.rocksdb.TickerType;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One RocksDB database in a folder of its own, with every native object it needs, closed
 * together (each holds native memory the garbage collector never frees). The store is a
 * job's scratch state, built by the run or opened from a copy of one an earlier run kept
 * ({@link KeptStore}): no write-ahead log, and the folder is removed at close.
 *
 * <p>Memory, from the join's budget: half for the block cache (data, index and filter blocks,
 * so lookups stay within it), a write buffer of an eighth (4 to 64 MiB). Bloom filters (10 bits
 * per key) let a lookup of a missing key skip files without reading them while the load has
 * several files; the builder compacts the table into one level at the end, where no filter is
 * kept (a lookup there reads one index and one data block anyway).
 *
 * <p>Tuned for point lookups from the cache, where the cost is memory latency (perf, issue 12):
 * a hyper clock cache (lock-free lookups; the LRU cache's hash table and list took about a sixth
 * of a lookup) and a hash index in each data block (finds the key's restart interval without a
 * binary search over the block).
 */
final class RocksDbHandle implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  final Path dir;
  final RocksDB db;
  final WriteOptions writeOptions;
  private final Options options;
  private final Statistics statistics;
  private final Cache cache;
  private final BloomFilter bloom;
  private boolean closed;

  private RocksDbHandle(Path dir, RocksDB db, WriteOptions writeOptions, Options options,
                        Statistics statistics, Cache cache, BloomFilter bloom) {
    this.dir = dir;
    this.db = db;
    this.writeOptions = writeOptions;
    this.options = options;
    this.statistics = statistics;
    this.cache = cache;
    this.bloom = bloom;
  }

  /** Opens a new, empty database in a new folder inside {@code parent} (null: the temp folder). */
  static RocksDbHandle open(String operatorName, Path parent, long memoryBudget) {
    Path dir;
    try {
      dir = newFolder(parent);
    } catch (IOException e) {
      throw new JobExecutionException(operatorName, null, "cannot create the RocksDB folder in "
          + (parent == null ? "the temporary folder" : parent) + " (" + e + "); set state_dir to "
          + "a writable folder with room for the table", e);
    }
    try {
      return openIn(dir, memoryBudget, true);
    } catch (RocksDBException | RuntimeException e) {
      deleteFolder(dir);
      throw new JobExecutionException(operatorName, null, "cannot open RocksDB in " + dir + " ("
          + e.getMessage() + "); set state_dir to a writable local folder", e);
    }
  }

  /**
   * A new folder for a job's store inside {@code parent} (created when missing; null: the temp
   * folder), named {@code sabot-rocksdb-*}: where a new store and a kept store's working copy go.
   */
  static Path newFolder(Path parent) throws IOException {
    return WorkingFolders.create(parent);
  }

  /**
   * Opens the database in {@code dir} with the options above: a new one when {@code create}, or
   * the one there (a kept store's working copy: then a missing database is an error, not an
   * empty table). On failure every native object made is closed; the caller removes the folder.
   */
  static RocksDbHandle openIn(Path dir, long memoryBudget, boolean create) throws RocksDBException {
    long cacheBytes = Math.max(8L << 20, memoryBudget / 2);
    long writeBuffer = Math.min(64L << 20, Math.max(4L << 20, memoryBudget / 8));
    Statistics statistics = new Statistics();
    statistics.setStatsLevel(StatsLevel.EXCEPT_DETAILED_TIMERS);
    // Estimated entry charge 0: the cache sizes its table itself; -1: default shard count.
    Cache cache = new HyperClockCache(cacheBytes, 0, -1, false);
    BloomFilter bloom = new BloomFilter(10);
    BlockBasedTableConfig table = new BlockBasedTableConfig()
        .setBlockCache(cache)
        .setFilterPolicy(bloom)
        .setCacheIndexAndFilterBlocks(true)
        .setPinL0FilterAndIndexBlocksInCache(true)
        .setDataBlockIndexType(DataBlockIndexType.kDataBlockBinaryAndHash)
        .setDataBlockHashTableUtilRatio(0.75);
    Options options = new Options()
        .setCreateIfMissing(create)
        .setTableFormatConfig(table)
        .setStatistics(statistics)
        .setWriteBufferSize(writeBuffer)
        .setMaxWriteBufferNumber(3)
        .setMaxBackgroundJobs(2)
        .setOptimizeFiltersForHits(true)
        .setCompressionType(CompressionType.LZ4_COMPRESSION);
    WriteOptions writeOptions = new WriteOptions().setDisableWAL(true);
    try {
      RocksDB db = RocksDB.open(options, dir.toString());
      return new RocksDbHandle(dir, db, writeOptions, options, statistics, cache, bloom);
    } catch (RocksDBException | RuntimeException e) {
      writeOptions.close();
      options.close();
      bloom.close();
      cache.close();
      statistics.close();
      throw e;
    }
  }

  /** A RocksDB property as a number (0 when unknown). */
  long property(String name) {
    try {
      return db.getLongProperty(name);
    } catch (RocksDBException e) {
      return 0;
    }
  }

  long ticker(TickerType t) {
    return statistics.getTickerCount(t);
  }

  /**
   * Deletes every key (a live table's reload), a write batch per 10,000; snapshots taken before
   * keep reading what they saw.
   */
  void deleteAll(String operatorName) {
    try (RocksIterator it = db.newIterator(); WriteBatch batch = new WriteBatch()) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        batch.delete(it.key());
        if (batch.count() >= 10_000) {
          db.write(writeOptions, batch);
          batch.clear();
        }
      }
      it.status();
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new JobExecutionException(operatorName, null, "cannot empty RocksDB in " + dir
          + " to reload the table: " + e.getMessage() + "; check the free space of state_dir", e);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    db.close();
    writeOptions.close();
    options.close();
    bloom.close();
    cache.close();
    statistics.close();
    deleteFolder(dir);
  }

  /** Removes {@code dir} and everything in it (nothing when it does not exist). */
  static void deleteFolder(Path dir) {
    try {
      Folders.deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the RocksDB folder " + dir, e);
    }
  }
}
