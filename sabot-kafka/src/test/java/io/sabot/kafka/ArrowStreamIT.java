package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.connect.arrow.ArrowRecords;
import io.sabot.exec.JobSummary;
import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A stream topic of arrow records (a batch each) read in batches of another size, over several
 * partitions and polls: every row once, in its partition's order, the bad records in the dead
 * letters, and the group's offsets past every record (bad ones at a partition's end too), with
 * the partitions taken by the reader itself or assigned by the group (StoppedGroupMemberIT
 * covers a group member stopped after a bad record).
 */
@Tag("integration")
class ArrowStreamIT {
  private static final Schema SCHEMA = new Schema(List.of(new Field("p", ColumnType.INT64),
      new Field("seq", ColumnType.INT64)));
  private static final String JOB = String.join("\n",
      "job_name: arrow_stream",
      "operators:",
      "  - name: rows",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${TOPIC}, bootstrap_servers: '${BOOTSTRAP}', format: arrow,",
      "      bounded: true, group_id: ${GROUP}, batch_size: 1000, assignment: ${ASSIGNMENT},",
      "      properties: {max.partition.fetch.bytes: 20000}}",
      "  - {name: out, type: SINK, parameters: {path: ${OUT}, format: jsonl}}",
      "connect:",
      "  - [rows, out]",
      "");
  /** Rows a record holds, in a partition's order: smaller and larger than a batch. */
  private static final int[] RECORD_ROWS = {1, 700, 1, 2500, 3, 1200, 5, 999, 1000, 1};

  private static byte[] record(RootAllocator allocator, long partition, long firstSeq, int rows)
      throws Exception {
    try (VectorSchemaRoot batch = VectorSchemaRoot.create(SCHEMA.toArrow(), allocator)) {
      BigIntVector p = (BigIntVector) batch.getVector(0);
      BigIntVector seq = (BigIntVector) batch.getVector(1);
      p.allocateNew(rows);
      seq.allocateNew(rows);
      for (int i = 0; i < rows; i++) {
        p.set(i, partition);
        seq.set(i, firstSeq + i);
      }
      batch.setRowCount(rows);
      return ArrowRecords.encode(batch, SCHEMA);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"all", "group"})
  void shouldReadEveryRowOnceInItsPartitionsOrderAndCommitPastEveryRecord(String assignment,
      @TempDir Path dir) throws Exception {
    String topic = TestBroker.topic("arrow-rows");
    int partitions = 3;
    TestBroker.createTopic(topic, partitions, false);
    long[] rowsOf = new long[partitions];
    try (RootAllocator allocator = new RootAllocator();
         KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(TestBroker.bootstrap(),
             "test-producer", null, Map.of())) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        for (int round = 0; round < 3; round++) {
          for (int rows : RECORD_ROWS) {
            acks.add(producer.send(new ProducerRecord<>(topic, p, null,
                record(allocator, p, rowsOf[p], rows))));
            rowsOf[p] += rows;
            if (p == 1 && round == 1 && rows == 3) { // a bad record amid partition 1's
              acks.add(producer.send(new ProducerRecord<>(topic, p, null,
                  "not arrow".getBytes(StandardCharsets.UTF_8))));
            }
          }
        }
      }
      // a bad record last in partition 2: the group must still commit past it
      acks.add(producer.send(new ProducerRecord<>(topic, 2, null,
          "not arrow either".getBytes(StandardCharsets.UTF_8))));
      producer.flush();
      for (Future<RecordMetadata> a : acks) a.get();
    }
    Path out = dir.resolve("out.jsonl");
    Map<String, String> v = Map.of("TOPIC", topic, "BOOTSTRAP", TestBroker.bootstrap(),
        "GROUP", "arrow-" + topic, "OUT", out.toString(), "ASSIGNMENT", assignment);
    JobSummary s = Jobs.run(Jobs.write(dir, "job.yaml", JOB, v));

    long total = rowsOf[0] + rowsOf[1] + rowsOf[2];
    assertEquals(total, s.rowsOut());
    assertEquals(2, s.rejectedRecords());
    List<String> dead =
        TestBroker.values(TestBroker.readAll(topic + ".dlq", 2, Duration.ofSeconds(20)));
    assertEquals(List.of("not arrow", "not arrow either"), dead.stream().sorted().toList());
    Map<Long, List<Long>> seqs = new TreeMap<>();
    Pattern row = Pattern.compile("\\{\"p\":(\\d+),\"seq\":(\\d+)}");
    for (String line : Files.readAllLines(out)) {
      Matcher m = row.matcher(line);
      if (!m.matches()) throw new AssertionError("unexpected line " + line);
      seqs.computeIfAbsent(Long.parseLong(m.group(1)), k -> new ArrayList<>())
          .add(Long.parseLong(m.group(2)));
    }
    for (int p = 0; p < partitions; p++) {
      List<Long> expected = new ArrayList<>();
      for (long i = 0; i < rowsOf[p]; i++) expected.add(i);
      assertEquals(expected, seqs.get((long) p), "partition " + p + "'s rows, in order");
    }
    // the group committed past every record, the bad last one of partition 2 too
    JobSummary rerun = Jobs.run(Jobs.write(dir, "job.yaml", JOB, v));
    assertEquals(0, rerun.streamRowsIn());
    assertEquals(0, rerun.rejectedRecords(), "bad records read again by the rerun");
  }
}
