package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka-to-Kafka job killed with SIGKILL while records stream in, then restarted from its
 * group's committed offsets: at-least-once delivers every record at least once; exactly-once
 * (transactions; read_committed) delivers every record exactly once.
 */
@Tag("integration")
class DeliveryAfterKillIT {
  static final int RECORDS = 60_000;
  static final String JOB = String.join("\n",
      "job_name: copy_quotes",
      "operators:",
      "  - name: quotes",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${IN}, bootstrap_servers: '${BOOTSTRAP}', format: jsonl,",
      "      group_id: ${GROUP}, bounded: ${BOUNDED}, batch_size: 500,",
      "      schema: {id: int64, price: float64}, properties: {max.poll.records: 500}}",
      "  - {name: positive, type: FILTER, parameters: {column: price, operator: '>=', value: 0}}",
      "  - name: out",
      "    type: SINK",
      "    parameters: {kafka_topic: ${OUT}, bootstrap_servers: '${BOOTSTRAP}', format: jsonl,",
      "      key: id, delivery: ${DELIVERY}}",
      "connect:",
      "  - [quotes, positive]",
      "  - [positive, out]",
      "");

  private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

  private Map<Long, Integer> killAndRestart(Path dir, String delivery) throws Exception {
    String in = TestBroker.topic("in");
    String out = TestBroker.topic("out");
    TestBroker.createTopic(in, 3, false);
    TestBroker.createTopic(out, 3, false);
    Map<String, String> v = new HashMap<>(Map.of("IN", in, "OUT", out, "BOOTSTRAP",
        TestBroker.bootstrap(), "GROUP", "kill-" + in, "DELIVERY", delivery, "BOUNDED", "false"));
    Path unbounded = Jobs.write(dir, "unbounded.yaml", JOB, v);
    v.put("BOUNDED", "true");
    Path bounded = Jobs.write(dir, "bounded.yaml", JOB, v);

    Process first = RunJob.start(unbounded, dir.resolve("first.log"));
    // records keep arriving while the job runs; it is killed while they stream through it, and
    // the second half waits for the kill (a job slow to start could otherwise read them all)
    CountDownLatch killed = new CountDownLatch(1);
    Thread producer = new Thread(() -> {
      int chunk = 1_000;
      try {
        for (int sent = 0; sent < RECORDS; sent += chunk) {
          if (sent == RECORDS / 2) killed.await();
          List<String> values = new ArrayList<>(chunk);
          for (int i = sent; i < sent + chunk; i++) values.add("{\"id\":" + i + ",\"price\":" + i + ".5}");
          TestBroker.produceValues(in, values);
          Thread.sleep(30);
        }
      } catch (InterruptedException e) {
        return;
      }
    }, "test-producer");
    producer.start();
    try {
      TestBroker.readAll(out, RECORDS / 4, Duration.ofSeconds(60));
    } finally {
      first.destroyForcibly(); // SIGKILL: no cleanup, no final commit
      killed.countDown();
    }
    assertTrue(first.waitFor(10, TimeUnit.SECONDS));
    producer.join(120_000);

    Process second = RunJob.start(bounded, dir.resolve("second.log"));
    assertTrue(second.waitFor(120, TimeUnit.SECONDS), "restarted job did not finish");
    String log = Files.readString(dir.resolve("second.log"));
    assertEquals(0, second.exitValue(), log);
    // the restart continued from the committed offsets: the kill came mid-stream
    Matcher rowsIn = Pattern.compile("([\\d,]+) stream rows in").matcher(log);
    assertTrue(rowsIn.find(), log);
    long reread = Long.parseLong(rowsIn.group(1).replace(",", ""));
    assertTrue(reread > 0 && reread < RECORDS, "the restarted job read " + reread + " records");
    System.out.printf("%s: the restarted job read %,d of %,d records%n", delivery, reread, RECORDS);

    Map<Long, Integer> seen = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : TestBroker.readAll(out, RECORDS, Duration.ofSeconds(60))) {
      Matcher m = ID.matcher(TestBroker.text(r.value()));
      assertTrue(m.find(), TestBroker.text(r.value()));
      seen.merge(Long.parseLong(m.group(1)), 1, Integer::sum);
      assertEquals(m.group(1), TestBroker.text(r.key()));
    }
    for (long id = 0; id < RECORDS; id++) {
      assertTrue(seen.containsKey(id), "record id=" + id + " was lost");
    }
    assertEquals(RECORDS, seen.size());
    System.out.printf("%s: %,d records delivered more than once%n", delivery,
        seen.values().stream().filter(n -> n > 1).count());
    return seen;
  }

  @Test
  void shouldDeliverEveryRecordAtLeastOnceAfterAKill(@TempDir Path dir) throws Exception {
    killAndRestart(dir, "at_least_once");
  }

  @Test
  void shouldDeliverEveryRecordExactlyOnceAfterAKillWithTransactions(@TempDir Path dir) throws Exception {
    Map<Long, Integer> seen = killAndRestart(dir, "exactly_once");
    List<Long> duplicated = new ArrayList<>();
    seen.forEach((id, n) -> {
      if (n > 1) duplicated.add(id);
    });
    assertEquals(List.of(), duplicated.subList(0, Math.min(10, duplicated.size())),
        duplicated.size() + " records were delivered more than once");
  }
}
