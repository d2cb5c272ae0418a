package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.error.JobExecutionException;
import io.sabot.exec.JobSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad records go to the dead-letter topic with where they came from; a job continues from its
 * group's committed offsets; an unreachable broker is a clear error, not a hang.
 */
@Tag("integration")
class DeadLettersAndOffsetsIT {
  static final String JOB = String.join("\n",
      "job_name: quotes_to_file",
      "operators:",
      "  - name: quotes",
      "    type: SOURCE",
      "    parameters: {kafka_topic: ${QUOTES}, bootstrap_servers: '${BOOTSTRAP}', format: jsonl,",
      "      bounded: true, group_id: ${GROUP}, schema: {instrumentId: int64, price: float64},",
      "      properties: {default.api.timeout.ms: 3000}}",
      "  - {name: out, type: SINK, parameters: {path: ${OUT}, format: jsonl}}",
      "connect:",
      "  - [quotes, out]",
      "");

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    return TestBroker.text(r.headers().lastHeader(name).value());
  }

  @Test
  void shouldSendMalformedRecordsToTheDeadLetterTopicWithTheirOffsets(@TempDir Path dir) throws Exception {
    String quotes = TestBroker.topic("quotes");
    TestBroker.createTopic(quotes, 1, false);
    TestBroker.produceValues(quotes, List.of("{\"instrumentId\":1,\"price\":1.5}", "{\"instrumentId\":2,",
        "{\"instrumentId\":3,\"price\":3.5}", "{\"instrumentId\":\"four\",\"price\":4.5}",
        "{\"instrumentId\":5,\"price\":5.5}"));
    Path out = dir.resolve("out.jsonl");
    Map<String, String> v = Map.of("QUOTES", quotes, "BOOTSTRAP", TestBroker.bootstrap(),
        "GROUP", "dlq-test-" + quotes, "OUT", out.toString());
    JobSummary s = Jobs.run(Jobs.write(dir, "job.yaml", JOB, v));

    assertEquals(List.of("{\"instrumentId\":1,\"price\":1.5}", "{\"instrumentId\":3,\"price\":3.5}",
        "{\"instrumentId\":5,\"price\":5.5}"), Files.readAllLines(out));
    assertEquals(2, s.rejectedRecords());
    assertEquals(List.of("topic " + quotes + ".dlq"), s.deadLetterFiles());
    List<ConsumerRecord<byte[], byte[]>> dead = TestBroker.readAll(quotes + ".dlq", 2, Duration.ofSeconds(20));
    assertEquals(2, dead.size());
    assertEquals("{\"instrumentId\":2,", TestBroker.text(dead.get(0).value()));
    assertEquals("1", header(dead.get(0), "sabot.offset"));
    assertEquals("0", header(dead.get(0), "sabot.partition"));
    assertEquals(quotes, header(dead.get(0), "sabot.topic"));
    assertTrue(header(dead.get(0), "sabot.error").startsWith("invalid JSON"), header(dead.get(0), "sabot.error"));
    assertEquals("3", header(dead.get(1), "sabot.offset"));
    assertEquals("column=instrumentId value='four' is not an int64", header(dead.get(1), "sabot.error"));

    // the group committed past every record, the rejected ones too: a rerun reads nothing
    assertEquals(0, Jobs.run(Jobs.write(dir, "job.yaml", JOB, v)).streamRowsIn());
    // and new records only, added to the rows of the first run (the file sink appends by
    // default, since this source resumes from its committed offsets)
    TestBroker.produceValues(quotes, List.of("{\"instrumentId\":6,\"price\":6.5}"));
    JobSummary third = Jobs.run(Jobs.write(dir, "job.yaml", JOB, v));
    assertEquals(1, third.streamRowsIn());
    assertEquals(List.of("{\"instrumentId\":1,\"price\":1.5}", "{\"instrumentId\":3,\"price\":3.5}",
        "{\"instrumentId\":5,\"price\":5.5}", "{\"instrumentId\":6,\"price\":6.5}"), Files.readAllLines(out));
  }

  @Test
  void shouldFailClearlyWhenNoBrokerAnswers(@TempDir Path dir) throws Exception {
    int closedPort = KafkaBroker.freePort();
    Map<String, String> v = Map.of("QUOTES", "quotes", "BOOTSTRAP", "127.0.0.1:" + closedPort,
        "GROUP", "nobody", "OUT", dir.resolve("out.jsonl").toString());
    long t0 = System.nanoTime();
    JobExecutionException e = assertThrows(JobExecutionException.class,
        () -> Jobs.run(Jobs.write(dir, "job.yaml", JOB, v)));
    assertTrue(e.getMessage().contains("no answer from Kafka at bootstrap_servers=127.0.0.1:" + closedPort),
        e.getMessage());
    assertTrue(e.getMessage().startsWith("Execution failed in operator quotes: "), e.getMessage());
    assertTrue(System.nanoTime() - t0 < 20e9, "took " + (System.nanoTime() - t0) / 1e9 + " s");
  }
}
