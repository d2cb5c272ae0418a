package io.sabot.connect;

import java.io.IOException;

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
}
