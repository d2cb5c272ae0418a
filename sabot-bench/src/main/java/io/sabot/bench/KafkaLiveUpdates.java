package io.sabot.bench;

import io.sabot.kafka.KeyedRecords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code sabot bench-kafka --live-updates RATE}: writes updates of the securities to their
 * compacted topic at RATE records a second (of wall-clock time since {@link #start}) while a
 * job reads it as a live table. Update u changes key {@code mix(u) mod R} (as the in-memory live
 * feed picks it) to version {@code s = first + u + 1}: CUSIP, NAME and SECTOR as in
 * {@link LiveSecuritiesFeed}, the other columns left out (null). Keys never change, so the
 * job's output rows are the static table's; the record key is the ID's text, as the load wrote it.
 */
final class KafkaLiveUpdates implements AutoCloseable {
  private final KeyedRecords records;
  private final String topic;
  private final long rate;
  private final int keys;
  private final long first;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private volatile boolean stopping;
  private Thread writer;

  /** @param first the version of the last update written before (updates go on from it) */
  KafkaLiveUpdates(String bootstrap, String topic, long rate, int keys, long first) {
    this.records = KeyedRecords.open(bootstrap, topic, "sabot-bench-live-updates");
    this.topic = topic;
    this.rate = rate;
    this.keys = keys;
    this.first = first;
  }

  /**
   * Starts writing, on a thread of its own; once (later calls do nothing), from any thread (the
   * job's progress reporter calls it when the table is built, as the in-memory bench's feed
   * starts its clock once it has read its rows).
   */
  synchronized KafkaLiveUpdates start() {
    if (writer != null || stopping) return this;
    writer = new Thread(this::write, "sabot-bench-live-updates");
    writer.setDaemon(true);
    writer.start();
    return this;
  }

  private void write() {
    long t0 = System.nanoTime();
    try {
      while (!stopping && failure.get() == null && !records.failed()) {
        long due = (long) ((double) rate * (System.nanoTime() - t0) / 1e9);
        for (long u = sent.get(); u < due && !stopping; u = sent.incrementAndGet()) {
          int k = LiveSecuritiesFeed.keyOf(u, keys);
          long s = first + u + 1;
          records.send(Integer.toString(k).getBytes(StandardCharsets.US_ASCII),
              json(k, (int) Math.min(s, Integer.MAX_VALUE)));
        }
        Thread.sleep(1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
    }
  }

  private static byte[] json(int k, int s) {
    return ("{\"ID\":" + k + ",\"CUSIP\":\"" + LiveSecuritiesFeed.cusipOf(k, s) + "\",\"NAME\":\""
        + LiveSecuritiesFeed.nameOf(k, s) + "\",\"SECTOR\":\"" + LiveSecuritiesFeed.sectorOf(k, s)
        + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  /** Updates written so far. */
  long sent() {
    return sent.get();
  }

  /** Stops writing, waits until every update written is acknowledged; fails if one was not. */
  @Override
  public void close() {
    Thread started;
    synchronized (this) {
      stopping = true;
      started = writer;
    }
    try {
      if (started != null) started.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      records.close();
    } catch (IOException e) {
      failure.compareAndSet(null, e);
    }
    if (failure.get() != null) {
      throw new BenchmarkFailure("writing live updates to " + topic + " failed: "
          + failure.get().getMessage());
    }
  }
}
