package io.sabot.reference;

import io.sabot.connect.KeptSnapshot;

/**
 * A reference table as a running job has it now, for progress, an agent's reports and metrics.
 *
 * @param join            the join that probes it (a table is named by its join)
 * @param rows            rows in its current version
 * @param versions        versions built so far: 1 for a table read once, more for a table kept
 *                        live from a changelog (a new version per change seen)
 * @param bootstrapMillis how long the first version took to load and build
 * @param rowsChanged     rows a live table's changes removed or added in place (0 for others)
 * @param storage         where it is kept and what that takes; null when not known (the report
 *                        of an agent that does not send it)
 * @param snapshot        the snapshot its changelog's reader keeps between runs
 *                        ({@code state_dir}); null when none is kept
 */
public record ReferenceTableStatus(String join, long rows, long versions, long bootstrapMillis,
                                   long rowsChanged, Storage storage, KeptSnapshot snapshot) {
  /** A table no change reached (read once, or not changed yet), its storage unknown. */
  public ReferenceTableStatus(String join, long rows, long versions, long bootstrapMillis) {
    this(join, rows, versions, bootstrapMillis, 0, null, null);
  }

  /** As above, with the rows changed in place. */
  public ReferenceTableStatus(String join, long rows, long versions, long bootstrapMillis,
                              long rowsChanged) {
    this(join, rows, versions, bootstrapMillis, rowsChanged, null, null);
  }

  /**
   * Where a table is kept, and what that takes.
   *
   * @param backend           {@code memory} or {@code rocksdb}
   * @param bytesInMemory     memory: the table's columns (with their room for changes) and its
   *                          index; rocksdb: the store's block cache, memtables and index readers
   * @param bytesOnDisk       the store's table files; 0 for memory (a kept snapshot's file is in
   *                          {@link KeptSnapshot#bytes()})
   * @param lookups           memory: stream rows probed; rocksdb: keys read from the store (each
   *                          stream batch reads its distinct keys once)
   * @param blockCacheHitRate rocksdb: the share of block reads the cache served, 0 to 1; -1 when
   *                          there is none (memory, or nothing read yet)
   */
  public record Storage(String backend, long bytesInMemory, long bytesOnDisk, long lookups,
                        double blockCacheHitRate) {
    public static final String MEMORY = "memory";

    /** A table in memory of {@code bytes}, probed by {@code lookups} stream rows. */
    public static Storage inMemory(long bytes, long lookups) {
      return new Storage(MEMORY, bytes, 0, lookups, -1);
    }

    /** {@code table} as it is now (its bytes read from any thread), probed by {@code lookups}. */
    public static Storage of(ReferenceTable table, long lookups) {
      return inMemory(table.sizeInBytes(), lookups);
    }
  }
}
