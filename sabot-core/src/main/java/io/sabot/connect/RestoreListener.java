package io.sabot.connect;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * Told what a {@link ReferenceFeed} restores at open, as soon as its snapshot verified: before
 * the feed indexes the rows and reads the changes published since. So the caller can, meanwhile,
 * open what it kept at that version (a store) or build its table from the rows restored, then
 * catch up with {@link ReferenceFeed#changes()} once the feed is open.
 */
@FunctionalInterface
public interface RestoreListener {
  /**
   * {@code version} is the version of the rows restored ({@link ReferenceFeed#restoredVersion()}
   * once the open succeeds; a restore may still fail after this, then that is null).
   * {@code rows}, when asked during this call, gives those rows, in the order a
   * {@link ReferenceFeed#snapshot()} taken right after the restore would give them, as batches
   * of the context's columns: owned by the listener (it closes the reader and every batch it
   * takes), readable on any thread, sharing the restored buffers (to be read, not written) and
   * valid whatever the feed does next. Called at most once, on the opening thread; it should
   * return at once.
   */
  void restoring(String version, Supplier<BatchReader> rows) throws IOException;
}
