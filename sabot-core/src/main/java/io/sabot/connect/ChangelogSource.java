package io.sabot.connect;

import io.sabot.error.SabotBug;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A source that is a changelog (a compacted Kafka topic): as the reference input of a join it is
 * not read once to its end but opened as a {@link ReferenceFeed}, loaded to its current end before
 * the stream starts and then kept live. As a stream input it is read like any other source,
 * through {@link #partitions()}.
 */
public interface ChangelogSource extends Source {
  /**
   * Opens the changelog and reads it to the end positions it has now (the bootstrap), so that
   * {@link ReferenceFeed#snapshot()} returns the current rows. Decodes {@code context.columns()};
   * records it cannot decode go to {@code context.rejecter()}.
   */
  ReferenceFeed openFeed(ReadContext context) throws IOException;

  /**
   * As {@link #openFeed(ReadContext)}, keeping the rows in the folder {@code snapshotDir}
   * between runs (a join's {@code state_dir}): a feed that finds a snapshot of this changelog
   * there that verifies loads it and reads only the changes published after it; it writes one
   * as it runs and when closed. By default there are no snapshots.
   */
  default ReferenceFeed openFeed(ReadContext context, Path snapshotDir) throws IOException {
    return openFeed(context);
  }

  /**
   * As {@link #openFeed(ReadContext, Path)}, telling {@code restoring} the version of the rows
   * the feed restores ({@link ReferenceFeed#restoredVersion()}) and those rows as soon as it
   * knows them: its snapshot verified, before the rows are indexed and the changes since are
   * read. So the caller can open what it kept at that version, or build its table, meanwhile.
   * At most once, on the opening thread; not when nothing is restored (a restore may still fail
   * after it: check restoredVersion). By default the feed opens without telling.
   */
  default ReferenceFeed openFeed(ReadContext context, Path snapshotDir, RestoreListener restoring)
      throws IOException {
    return openFeed(context, snapshotDir);
  }

  /**
   * As {@link #openFeed(ReadContext)}, but reads only the partitions whose numbers are in
   * {@code owned} (the stream partitions this process reads), following it: at each
   * {@link ReferenceFeed#poll()} a partition added there is read from its beginning to its end,
   * and one removed may be dropped. Only for a {@link KeyPartitioned} source.
   */
  default ReferenceFeed openFeed(ReadContext context, OwnedPartitions owned) throws IOException {
    throw new SabotBug(describe() + " is not KeyPartitioned, so the planner should have refused "
        + "reference_partitioning: co_partitioned on it");
  }
}
