package io.sabot.bench;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code sabot bench-kafka --live-updates RATE}: writes updates of the securities to their
 * compacted topic at RATE records a second (of wall-clock time since {@link #start}) while a
 * job reads it as a live table. Update u changes key {@code mix(u) mod R} (as the in-memory live
 * feed picks it) to version {@code s = first + u + 1}: CUSIP, NAME and SECTOR as in
 * {@link LiveSecuritiesFeed}, the other columns left out (null). Keys never change, so the
 * job's output rows are the static table's; the record key is the ID's text, as the load wrote it.
 */
final class KafkaLiveUpdates implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
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
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "sabot-bench-live-updates");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 << 10));
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
    this.rate = rate;
    this.keys = keys;
    this.first = first;
  }

  /** Starts writing, on a thread of its own. */
  KafkaLiveUpdates start() {
    writer = new Thread(this::write, "sabot-bench-live-updates");
    writer.setDaemon(true);
    writer.start();
    return this;
  }

  private void write() {
    long t0 = System.nanoTime();
    try {
      while (!stopping && failure.get() == null) {
        long due = (long) ((double) rate * (System.nanoTime() - t0) / 1e9);
        for (long u = sent.get(); u < due && !stopping; u = sent.incrementAndGet()) {
          int k = LiveSecuritiesFeed.keyOf(u, keys);
          long s = first + u + 1;
          producer.send(new ProducerRecord<>(topic, Integer.toString(k).getBytes(StandardCharsets.US_ASCII),
              json(k, (int) Math.min(s, Integer.MAX_VALUE))), (meta, e) -> {
                if (e != null) failure.compareAndSet(null, e);
              });
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
    stopping = true;
    try {
      if (writer != null) writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.flush();
    producer.close();
    if (failure.get() != null) {
      throw new BenchmarkFailure("writing live updates to " + topic + " failed: "
          + failure.get().getMessage());
    }
  }
}
