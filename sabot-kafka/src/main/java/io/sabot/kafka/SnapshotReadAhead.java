package io.sabot.kafka;

import io.sabot.connect.Threads;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;

/**
 * A reference snapshot file read and verified on a thread of its own, started before the feed's
 * Kafka consumer connects: a restart reads and checks the file (about a second at 10M rows) while
 * the consumer starts and learns the topic's partitions (about half a second), instead of after.
 * The file's identity is not checked here, since the partition count it holds is not known yet:
 * whoever {@link #take takes} the file checks it.
 */
final class SnapshotReadAhead implements AutoCloseable {
  private final Thread thread;
  // set by the thread, read after joining it
  private ReferenceSnapshotFile.Loaded loaded;
  private Throwable thrown;
  private long readMillis;
  private boolean taken;

  private SnapshotReadAhead(Path dir, BufferAllocator allocator) {
    this.thread = new Thread(() -> read(dir, allocator), "sabot-snapshot-read");
    thread.setDaemon(true);
  }

  /** Starts reading {@code dir}'s snapshot file, if it has one. */
  static SnapshotReadAhead start(Path dir, BufferAllocator allocator) {
    SnapshotReadAhead ahead = new SnapshotReadAhead(dir, allocator);
    ahead.thread.start();
    return ahead;
  }

  private void read(Path dir, BufferAllocator allocator) {
    long t0 = System.nanoTime();
    try {
      loaded = ReferenceSnapshotFile.read(dir, null, allocator);
    } catch (Throwable e) { // handed to the taker, who would have thrown it reading the file itself
      thrown = e;
    }
    readMillis = (System.nanoTime() - t0) / 1_000_000;
  }

  /**
   * Waits for the read and hands its file over (the caller closes it): null when there is none;
   * its identity not checked yet. Throws what the read threw (an unchecked one with this call's
   * stack added as suppressed).
   */
  ReferenceSnapshotFile.Loaded take() throws IOException, ReferenceSnapshotFile.Refused {
    Threads.joinUninterruptibly(thread);
    if (taken) throw new IllegalStateException("the snapshot was taken already");
    taken = true;
    if (thrown instanceof ReferenceSnapshotFile.Refused r) throw r;
    if (thrown instanceof IOException e) throw e;
    if (thrown instanceof RuntimeException || thrown instanceof Error) {
      thrown.addSuppressed(new Exception("taken here, from the thread that read the snapshot"));
      if (thrown instanceof Error e) throw e;
      throw (RuntimeException) thrown;
    }
    return loaded;
  }

  /** How long reading and verifying the file took, on its thread (once it ended). */
  long readMillis() {
    Threads.joinUninterruptibly(thread);
    return readMillis;
  }

  /** Waits for the read; closes its file when nobody took it (a feed failing to open). */
  @Override
  public void close() {
    Threads.joinUninterruptibly(thread);
    if (!taken && loaded != null) loaded.close();
    taken = true;
  }
}
