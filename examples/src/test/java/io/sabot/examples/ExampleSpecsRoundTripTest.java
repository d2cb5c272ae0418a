package io.sabot.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.graph.JobFile;
import io.sabot.graph.JobGraph;
import io.sabot.graph.StreamOperatorNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every operator of every example job, Kafka ones included, written as its typed spec into a
 * JSON job file (what an agent will receive) and read back, gives an equal spec.
 */
class ExampleSpecsRoundTripTest {
  @Test
  void shouldReadBackTheSpecOfEveryExampleOperatorFromJson() throws Exception {
    List<Path> jobs;
    try (Stream<Path> files = Files.walk(StreamEnrichmentExamplesTest.EXAMPLES)) {
      jobs = files.filter(f -> f.toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
    }
    assertTrue(jobs.size() >= 6, "example jobs found: " + jobs);
    int operators = 0;
    for (Path job : jobs) {
      JobGraph asWritten = JobFile.load(job);
      JobGraph typed = new JobGraph(asWritten.jobName());
      for (StreamOperatorNode n : asWritten.operators()) {
        typed.addOperator(StreamOperatorNode.of(n.name(), n.spec()));
      }
      JobGraph back = JobFile.parse(JobFile.write(typed, JobFile.Format.JSON), job + " as JSON");
      for (StreamOperatorNode n : asWritten.operators()) {
        assertEquals(n.spec(), back.operator(n.name()).spec(), job + " operator " + n.name());
        operators++;
      }
    }
    assertTrue(operators >= 29, "operators checked: " + operators);
  }
}
