package io.sabot.connect;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * The live rows of a {@link ChangelogSource}: the latest value of every key, upserts replacing,
 * deletes removing. The executor builds a reference table from {@link #snapshot()}, then calls
 * {@link #poll()} between stream batches, from one thread (or {@link #pollArrived()} every few
 * milliseconds, from the table's own thread). When it reports changes, the executor
 * asks for just those ({@link #changes()}) and applies them to the table it has; a feed that
 * cannot tell them (null), or a change the table cannot take in place, makes the executor build
 * a new version of the table from a new {@link #snapshot()}.
 */
public interface ReferenceFeed extends AutoCloseable {
  /** The current rows, as batches of the context's columns owned by the caller. */
  BatchReader snapshot() throws IOException;

  /**
   * Applies the changes published since the last call, up to the end positions the changelog
   * has now (so a change written before a stream record was written is seen before that record
   * is probed). True when the rows differ from the last {@link #snapshot()} or {@link #changes()}.
   */
  boolean poll() throws IOException;

  /**
   * As {@link #poll()}, for a caller that takes changes on a thread of its own every few
   * milliseconds (reference_refresh_ms): applies the changes that have arrived, and may tell it
   * is at the changelog's end without asking where that end is now. A feed read over the network
   * answers from what it has fetched (asking for the end offsets was a round trip each call, a
   * thousand a second at 1 ms even when nothing changed), and reads to the end as {@link #poll()}
   * does when it is behind or cannot tell, and at least once a second.
   */
  default boolean pollArrived() throws IOException {
    return poll();
  }

  /**
   * The rows that differ from those of the last {@link #snapshot()} or {@link #changes()}, or
   * null when this feed cannot tell (then the caller takes a {@link #snapshot()}). A key
   * changed several times since counts once: its value then, and its value now.
   */
  default Changes changes() throws IOException {
    return null;
  }

  /**
   * As {@link #changes()}, for a caller that reads only {@code removedColumns} of the removed
   * rows (a table reads only the keys of the rows a step removes): a feed may leave the other
   * columns of those rows null instead of reading them, scattered as they are over all the
   * rows it holds. The added rows are whole.
   */
  default Changes changes(Set<String> removedColumns) throws IOException {
    return changes();
  }

  /**
   * The version of the rows this feed restored at open from what an earlier run kept, as they
   * were before it caught up with the changelog; null when it read the changelog from its
   * beginning. Until the first {@link #snapshot()} or {@link #changes()}, {@link #changes()}
   * tells the rows that differ from that version: a table kept at the same version (a store
   * the earlier run kept beside the feed's rows) catches up with those changes alone.
   */
  default String restoredVersion() {
    return null;
  }

  /**
   * The version of the rows as they are now (after the open, or the last {@link #poll()}); null
   * when this feed keeps nothing between runs. Equal versions are equal rows.
   */
  default String version() {
    return null;
  }

  /**
   * The version of the rows this feed last kept for a later run to restore (taken for its state
   * folder; the file may still be being written), or null when it kept none. A table that holds
   * this version's rows may keep itself beside them ({@link #restoredVersion()}).
   */
  default String keptVersion() {
    return null;
  }

  /**
   * The version of the rows whose file is written and durable (what a restart restores now), or
   * null when none is; it lags {@link #keptVersion()} while a write is under way, and stays
   * behind it when a write fails.
   */
  default String savedVersion() {
    return null;
  }

  /**
   * The snapshot this feed keeps between runs as it stands now, or null when it keeps none.
   * Cheap and safe on any thread: a running job's progress reads it every second.
   */
  default KeptSnapshot keptSnapshot() {
    return null;
  }

  /**
   * Counters for the summary, in a stable order: {@code changelog_upserts},
   * {@code changelog_deletes} (applied after the bootstrap), {@code changelog_lag} (records
   * published but not applied yet, when asked), and whatever else the feed counts.
   */
  Map<String, Object> stats();

  @Override
  void close() throws IOException;

  /**
   * One step of a changelog, as rows of the context's columns owned by the caller:
   * {@code removed}, the earlier rows of every key updated or deleted (as the last snapshot or
   * changes gave them); {@code added}, the current rows of every key inserted or updated. An
   * update is in both. Either reader may be read first; close both.
   */
  record Changes(BatchReader removed, BatchReader added) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      try {
        removed.close();
      } finally {
        added.close();
      }
    }
  }
}
