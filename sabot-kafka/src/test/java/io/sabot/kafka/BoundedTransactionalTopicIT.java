package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.sabot.exec.ExecutionOptions;
import io.sabot.exec.JobManager;
import io.sabot.exec.JobSummary;
import io.sabot.graph.JobFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded job reads a topic written in transactions (the output of an exactly-once job) to
 * its end and finishes: the topic's end offset lies past a commit marker, which no record
 * reaches, so the reader must tell its end by the consumer's position, not by the last record.
 */
@Tag("integration")
class BoundedTransactionalTopicIT {
  @TempDir Path dir;

  @Test
  void shouldFinishReadingATopicThatEndsWithATransactionMarker() throws Exception {
    String topic = TestBroker.topic("txn-written");
    TestBroker.createTopic(topic, 2, false);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrap());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic + "-writer");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      producer.initTransactions();
      for (int t = 0; t < 3; t++) {
        producer.beginTransaction();
        for (int i = 0; i < 100; i++) {
          int id = t * 100 + i;
          producer.send(new ProducerRecord<>(topic, id % 2, null,
              TestBroker.bytes("{\"id\":" + id + "}")));
        }
        producer.commitTransaction();
      }
    }
    Path job = Jobs.write(dir, "read.yaml", String.join("\n",
        "job_name: read_transactional",
        "operators:",
        "  - {name: in, type: SOURCE, parameters: {kafka_topic: ${T}, bootstrap_servers: '${B}',",
        "      group_id: ${G}, start: earliest, bounded: true, schema: {id: int64},",
        "      properties: {isolation.level: read_committed}}}",
        "  - {name: out, type: SINK, parameters: {path: '${O}', format: csv}}",
        "connect: [[in, out]]"), Map.of("T", topic, "B", TestBroker.bootstrap(),
        "G", TestBroker.topic("txn-group"), "O", dir.resolve("out.csv").toString()));
    JobSummary summary = assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        new JobManager(ExecutionOptions.defaults().withThreads(2)).submitJob(JobFile.load(job))
            .summary(), "the bounded job never saw the end of a topic ending with a marker");
    assertEquals(300, summary.streamRowsIn());
    assertEquals(300, summary.rowsOut());
  }
}
