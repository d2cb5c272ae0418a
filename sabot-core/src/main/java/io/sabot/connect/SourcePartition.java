package io.sabot.connect;

import java.io.IOException;

/** One ordered part of a source: a file, a generator range, a topic partition. */
public interface SourcePartition {
  /** A short name for messages and dead letters: a file name, "generator", "topic-3". */
  String description();

  /** Opens a reader that decodes only {@code context.columns()}. */
  BatchReader open(ReadContext context) throws IOException;
}
