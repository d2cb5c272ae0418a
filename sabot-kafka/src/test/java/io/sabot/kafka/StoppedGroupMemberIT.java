package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.exec.JobSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unbounded job in a group ({@code assignment: group}) stopped right after rejected records
 * that came after its last rows, with no periodic commit since: at close it commits past them,
 * leaving the group (which revokes its partitions) does not commit behind that, and a rerun
 * neither reads them nor dead-letters them a second time.
 */
@Tag("integration")
class StoppedGroupMemberIT {
  private static final String JOB = String.join("\n",
      "job_name: stopped_member",
      "operators:",
      "  - name: quotes",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${IN}, bootstrap_servers: '${BOOTSTRAP}', format: jsonl,",
      "      group_id: ${GROUP}, assignment: group, bounded: ${BOUNDED}, batch_size: 100,",
      "      schema: {id: int64},",
      // no periodic commit: the one at close is the only one, as for a job stopped right
      // after its last batch
      "      properties: {auto.commit.interval.ms: 600000}}",
      "  - name: out",
      "    type: SINK",
      "    parameters: {kafka_topic: ${OUT}, bootstrap_servers: '${BOOTSTRAP}', format: jsonl}",
      "connect:",
      "  - [quotes, out]",
      "");

  private static final List<String> BAD = List.of("not json", "{\"id\": \"not a number\"}");

  @Test
  void shouldCommitPastRejectedRecordsAfterTheLastBatchWhenStopped(@TempDir Path dir)
      throws Exception {
    String in = TestBroker.topic("member-in");
    String out = TestBroker.topic("member-out");
    TestBroker.createTopic(in, 1, false);
    TestBroker.createTopic(out, 1, false);
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 250; i++) values.add("{\"id\":" + i + "}");
    TestBroker.produceValues(in, values);
    String group = "member-" + in;
    Map<String, String> v = Map.of("IN", in, "OUT", out, "BOOTSTRAP", TestBroker.bootstrap(),
        "GROUP", group, "BOUNDED", "false");
    Path unbounded = Jobs.write(dir, "unbounded.yaml", JOB, v);

    Thread job = new Thread(() -> {
      try {
        Jobs.run(unbounded);
      } catch (RuntimeException stopped) {
        // the interrupt below ends the job with an error; what it committed is checked
      }
    }, "stopped-member");
    job.start();
    try {
      assertEquals(250, TestBroker.readAll(out, 250, Duration.ofSeconds(60)).size());
      // after the last batch: no batch's checkpoint covers them, only the commit at close
      TestBroker.produceValues(in, BAD);
      assertEquals(BAD, TestBroker.values(TestBroker.readAll(in + ".dlq", 2, Duration.ofSeconds(30))));
    } finally {
      job.interrupt(); // an unbounded job runs until stopped
      job.join(30_000);
    }
    assertTrue(!job.isAlive(), "the job did not stop when interrupted");

    TopicPartition p0 = new TopicPartition(in, 0);
    try (KafkaConsumer<byte[], byte[]> c = KafkaClients.consumer(TestBroker.bootstrap(), group,
        "committed-check", "earliest", Map.of())) {
      OffsetAndMetadata committed = c.committed(Set.of(p0), Duration.ofSeconds(30)).get(p0);
      assertEquals(252, committed == null ? -1 : committed.offset(),
          "the group's offset after the stop: past the two rejected records");
    }
    Path bounded = Jobs.write(dir, "bounded.yaml", JOB, Map.of("IN", in, "OUT", out,
        "BOOTSTRAP", TestBroker.bootstrap(), "GROUP", group, "BOUNDED", "true"));
    JobSummary rerun = Jobs.run(bounded);
    assertEquals(0, rerun.streamRowsIn());
    assertEquals(0, rerun.rejectedRecords(), "rejected records read again by the rerun");
    assertEquals(BAD, TestBroker.values(TestBroker.readAll(in + ".dlq", 3, Duration.ofSeconds(5))),
        "dead letters after the rerun");
  }
}
