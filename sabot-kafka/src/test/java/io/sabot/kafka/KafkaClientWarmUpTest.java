package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sabot.graph.JobFile;
import io.sabot.graph.JobGraph;
import io.sabot.graph.StreamOperatorNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The warm-up a parsed Kafka job starts: once per JVM, and it leaves nothing running (the
 * clients it constructs are closed, their threads gone).
 */
class KafkaClientWarmUpTest {
  @Test
  void shouldRunOncePerJvmAndLeaveNoClientThreadBehind() throws Exception {
    // parsing a Kafka source's parameters starts it (unless a test in this JVM did already)
    JobGraph graph = JobFile.parse(String.join("\n",
        "job_name: warm",
        "operators:",
        "  - {name: in, type: SOURCE, parameters: {kafka_topic: t, bootstrap_servers: 'h:1',",
        "      format: jsonl, schema: {id: int64}}}",
        "  - {name: out, type: SINK, parameters: {path: out.jsonl, format: jsonl}}",
        "connect: [[in, out]]", ""), "warm.yaml");
    graph.operators().forEach(StreamOperatorNode::spec);
    assertNull(KafkaClientWarmUp.start(), "a second warm-up in the same JVM");
    for (Thread t : threads(KafkaClientWarmUp.THREAD)) t.join(60_000);
    assertEquals(List.of(), threads(KafkaClientWarmUp.THREAD), "the warm-up still runs");
    List<Thread> clients = threads(KafkaClientWarmUp.CLIENT_ID);
    for (Thread t : clients) t.join(10_000);
    assertFalse(clients.stream().anyMatch(Thread::isAlive),
        "a warm-up client's thread still runs: " + clients);
  }

  private static List<Thread> threads(String nameContaining) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().contains(nameContaining) && t.isAlive()).toList();
  }
}
