package io.sabot.connect;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the reader of a stream stands while it runs, for progress and an agent's reports: the
 * partitions it reads now (they move when the stream is shared by a consumer group) and how
 * many records they hold past its position (its lag). The reader publishes from its own thread,
 * about once a second and never per batch; the progress thread reads the latest
 * ({@link #current()}). A reader with nothing to say (a file) publishes nothing.
 */
public final class ReadStatus {
  /**
   * @param partitions the partition numbers read now, by topic, each list sorted
   * @param lag        records past the reader's position, summed over its partitions; -1 when
   *                   unknown (nothing published, or not a source that can tell)
   */
  public record Snapshot(Map<String, List<Integer>> partitions, long lag) {
    public static final Snapshot NONE = new Snapshot(Map.of(), -1);

    public Snapshot {
      TreeMap<String, List<Integer>> sorted = new TreeMap<>();
      partitions.forEach((topic, numbers) -> sorted.put(topic,
          numbers.stream().sorted().toList()));
      partitions = java.util.Collections.unmodifiableMap(sorted);
    }
  }

  private volatile Snapshot current = Snapshot.NONE;

  /** From the reader's thread: its figures now. */
  public void publish(Snapshot now) {
    current = now;
  }

  /** The latest figures published ({@link Snapshot#NONE} before any). */
  public Snapshot current() {
    return current;
  }
}
