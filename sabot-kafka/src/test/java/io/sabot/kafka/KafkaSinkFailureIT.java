package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.error.JobExecutionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka sink whose broker does not answer fails the job within its one bound
 * ({@code default.api.timeout.ms}, here 3 s), with the source's message; never a wait per record.
 */
@Tag("integration")
class KafkaSinkFailureIT {
  static final long BOUND_MS = 3_000;
  /** Starting the job, closing it, and a loaded 2-core machine. */
  static final long MARGIN_MS = 4_000;
  static final int ROWS = 5_000;

  static final String FILE_TO_TOPIC = String.join("\n",
      "job_name: file_to_topic",
      "operators:",
      "  - {name: quotes, type: SOURCE, parameters: {path: ${CSV}, format: csv,",
      "      schema: {id: int64, price: float64}, batch_size: 500}}",
      "  - name: out",
      "    type: SINK",
      "    parameters: {kafka_topic: quotes_out, bootstrap_servers: '${BOOTSTRAP}', format: jsonl,",
      "      key: id, delivery: ${DELIVERY}, properties: {default.api.timeout.ms: " + BOUND_MS + "}}",
      "connect:",
      "  - [quotes, out]",
      "");

  /** The start of {@link KafkaClients#unreachable}'s message, the source's too. */
  static String unreachable(String bootstrap) {
    return "no answer from Kafka at bootstrap_servers=" + bootstrap + " within "
        + BOUND_MS / 1000.0 + " s (is the broker running? `sabot broker` starts one)";
  }

  /** The job's message from the unreachable-broker sentence on (the operator prefix is the executor's). */
  static String fromUnreachable(JobExecutionException e) {
    String m = e.getMessage();
    int at = m.indexOf("no answer from Kafka");
    assertTrue(at >= 0, m);
    assertTrue(m.startsWith("Execution failed in operator "), m);
    return m.substring(at);
  }

  @ParameterizedTest
  @ValueSource(strings = {"at_least_once", "exactly_once"})
  void shouldFailWithinTheBoundWhenNoBrokerListens(String delivery, @TempDir Path dir) throws Exception {
    List<String> lines = new ArrayList<>(List.of("id,price"));
    for (int i = 0; i < ROWS; i++) lines.add(i + "," + i + ".5");
    Path csv = Files.write(dir.resolve("quotes.csv"), lines);
    String bootstrap = "127.0.0.1:" + KafkaBroker.freePort(); // nothing listens there
    Path job = Jobs.write(dir, "job.yaml", FILE_TO_TOPIC,
        Map.of("CSV", csv.toString(), "BOOTSTRAP", bootstrap, "DELIVERY", delivery));

    long t0 = System.nanoTime();
    JobExecutionException e = assertThrows(JobExecutionException.class, () -> Jobs.run(job));
    long ms = (System.nanoTime() - t0) / 1_000_000;

    System.out.printf("%s: unreachable sink failed the job after %,d ms: %s%n", delivery, ms,
        e.getMessage());
    assertTrue(fromUnreachable(e).startsWith(unreachable(bootstrap)), e.getMessage());
    assertTrue(ms < BOUND_MS + MARGIN_MS, "took " + ms + " ms; the bound is " + BOUND_MS + " ms");
  }
}
