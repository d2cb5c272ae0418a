package io.sabot.connect;

/**
 * A checkpoint ({@link BatchReader#checkpoint()}) that can be written down and read back: an
 * exactly-once file sink keeps the position of its last durable row beside its file, and the next
 * run's reader starts there ({@link ReadContext#resumeFrom()}), whatever was committed elsewhere.
 */
public interface SourcePosition {
  /** The position as one line of text, for {@link ReadContext#resumeFrom()}. */
  String encode();
}
