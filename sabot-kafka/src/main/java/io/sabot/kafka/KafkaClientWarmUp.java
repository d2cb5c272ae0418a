package io.sabot.kafka;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The first Kafka client a JVM constructs costs about 0.6 s here (loading and initializing the
 * client's classes: configuration definitions, protocol schemas, metrics), the next one about
 * 0.05 s. A job that uses Kafka pays that on its critical path, when the reference table's
 * changelog consumer starts. So as soon as a job's Kafka source or sink is parsed, a daemon
 * thread constructs and closes a consumer and a producer, while the job is still being
 * validated, optimized and planned on the main thread; once per JVM.
 *
 * <p>The two clients never connect: nothing is polled or sent, the producer is not idempotent
 * (which would ask the broker for a producer id), and both are closed at once. The address they
 * are given is never dialled.
 */
public final class KafkaClientWarmUp {
  static final String THREAD = "sabot-kafka-warm-up";
  /** The client id of the two clients, in the names of the threads they start. */
  static final String CLIENT_ID = "sabot-warm-up";
  /** This JVM's warm-up thread, once one started. */
  private static final AtomicReference<Thread> STARTED = new AtomicReference<>();

  private KafkaClientWarmUp() {}

  /** Starts the warm-up and returns its thread; null when one started already in this JVM. */
  static Thread start() {
    Thread thread = new Thread(KafkaClientWarmUp::construct, THREAD);
    if (!STARTED.compareAndSet(null, thread)) return null;
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * Waits up to {@code max} for this JVM's warm-up to end, when one started. For bin/sabot's
   * class archive (ClassArchiveTraining), which holds the clients' classes only once they are
   * loaded.
   */
  public static void awaitIfStarted(Duration max) throws InterruptedException {
    Thread thread = STARTED.get();
    if (thread != null) thread.join(Math.max(1, max.toMillis()));
  }

  private static void construct() {
    Properties p = new Properties();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, CLIENT_ID);
    try {
      Properties c = new Properties();
      c.putAll(p);
      c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())
          .close(Duration.ZERO);
      Properties w = new Properties();
      w.putAll(p);
      w.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
      w.put(ProducerConfig.ACKS_CONFIG, "1");
      new KafkaProducer<>(w, new ByteArraySerializer(), new ByteArraySerializer())
          .close(Duration.ZERO);
    } catch (RuntimeException e) {
      // only a warm-up: the job's own clients report whatever is wrong
    }
  }
}
