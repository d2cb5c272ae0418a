package io.sabot.connect;

import java.io.IOException;
import java.util.Map;

/**
 * The live rows of a {@link ChangelogSource}: the latest value of every key, upserts replacing,
 * deletes removing. The executor builds a reference table from {@link #snapshot()}, then calls
 * {@link #poll()} between stream batches, from one thread; when it reports changes, the executor
 * builds a new version of the table from a new snapshot, and later batches probe that version.
 */
public interface ReferenceFeed extends AutoCloseable {
  /** The current rows, as batches of the context's columns owned by the caller. */
  BatchReader snapshot() throws IOException;

  /**
   * Applies the changes published since the last call, up to the end positions the changelog
   * has now (so a change written before a stream record was written is seen before that record
   * is probed). True when the rows differ from the last {@link #snapshot()}.
   */
  boolean poll() throws IOException;

  /**
   * Counters for the summary, in a stable order: {@code changelog_upserts},
   * {@code changelog_deletes} (applied after the bootstrap), {@code changelog_lag} (records
   * published but not applied yet, when asked), and whatever else the feed counts.
   */
  Map<String, Object> stats();

  @Override
  void close() throws IOException;
}
