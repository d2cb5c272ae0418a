package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.connect.arrow.ArrowRecords;
import io.sabot.exec.JobSummary;
import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unbounded job in a group ({@code assignment: group}) stopped after a bad record that came
 * after its last rows: no batch's checkpoint covers that record (an arrow record is rejected
 * whole and no batch follows it), so only the commit at close moves the group past it. Leaving
 * the group then revokes the partitions; the revocation must not commit the last batch's offset
 * again, behind that. Before it stopped doing so, the group's offset went back to the bad record
 * and the next run dead-lettered it a second time.
 */
@Tag("integration")
class StoppedGroupMemberIT {
  private static final Schema SCHEMA = new Schema(List.of(new Field("id", ColumnType.INT64)));
  private static final String JOB = String.join("\n",
      "job_name: stopped_member",
      "operators:",
      "  - name: rows",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${IN}, bootstrap_servers: '${BOOTSTRAP}', format: arrow,",
      "      group_id: ${GROUP}, assignment: group, bounded: ${BOUNDED},",
      // the first delivered batch is committed at once, later ones only by the commit at close
      "      properties: {auto.commit.interval.ms: 600000}}",
      "  - name: out",
      "    type: SINK",
      "    parameters: {kafka_topic: ${OUT}, bootstrap_servers: '${BOOTSTRAP}', format: jsonl}",
      "connect:",
      "  - [rows, out]",
      "");

  private static void produce(String topic, byte[] value) throws Exception {
    try (KafkaProducer<byte[], byte[]> p = KafkaClients.producer(TestBroker.bootstrap(),
        "test-producer", null, Map.of())) {
      p.send(new ProducerRecord<>(topic, 0, null, value)).get();
    }
  }

  private static byte[] rows(RootAllocator allocator, long first, int n) throws Exception {
    try (VectorSchemaRoot batch = VectorSchemaRoot.create(SCHEMA.toArrow(), allocator)) {
      BigIntVector id = (BigIntVector) batch.getVector(0);
      id.allocateNew(n);
      for (int i = 0; i < n; i++) id.set(i, first + i);
      batch.setRowCount(n);
      return ArrowRecords.encode(batch, SCHEMA);
    }
  }

  @Test
  void shouldStayPastARejectedRecordAfterTheLastBatchWhenStopped(@TempDir Path dir)
      throws Exception {
    String in = TestBroker.topic("member-in");
    String out = TestBroker.topic("member-out");
    TestBroker.createTopic(in, 1, false);
    TestBroker.createTopic(out, 1, false);
    String group = "member-" + in;
    Map<String, String> v = Map.of("IN", in, "OUT", out, "BOOTSTRAP", TestBroker.bootstrap(),
        "GROUP", group, "BOUNDED", "false");
    Path unbounded = Jobs.write(dir, "unbounded.yaml", JOB, v);
    StoppableJob job = null;

    try (RootAllocator allocator = new RootAllocator()) {
      produce(in, rows(allocator, 0, 100)); // offset 0: a batch, committed at once
      job = StoppableJob.start(unbounded, "stopped-member");
      assertEquals(100, TestBroker.readAll(out, 100, Duration.ofSeconds(60)).size());
      produce(in, rows(allocator, 100, 100)); // offset 1: a batch, not committed until close
      assertEquals(200, TestBroker.readAll(out, 200, Duration.ofSeconds(60)).size());
      produce(in, "not arrow".getBytes(StandardCharsets.UTF_8)); // offset 2: no batch after it
      assertEquals(List.of("not arrow"),
          TestBroker.values(TestBroker.readAll(in + ".dlq", 1, Duration.ofSeconds(30))));
    } finally {
      if (job != null) job.stop();
    }
    assertTrue(job.summary().stopped(), job.summary().format());

    assertEquals(3, TestBroker.committed(group, in),
        "the group's offset after the stop: past the rejected record");
    Path bounded = Jobs.write(dir, "bounded.yaml", JOB, Map.of("IN", in, "OUT", out,
        "BOOTSTRAP", TestBroker.bootstrap(), "GROUP", group, "BOUNDED", "true"));
    JobSummary rerun = Jobs.run(bounded);
    assertEquals(0, rerun.streamRowsIn());
    assertEquals(0, rerun.rejectedRecords(), "the rejected record read again by the rerun");
    assertEquals(List.of("not arrow"), TestBroker.values(TestBroker.readAll(in + ".dlq", 2,
        Duration.ofSeconds(5))), "dead letters after the rerun");
  }
}
