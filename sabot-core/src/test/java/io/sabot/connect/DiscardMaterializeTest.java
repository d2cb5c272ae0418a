package io.sabot.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.connect.builtin.DiscardSpec;
import io.sabot.connect.console.DiscardSink;
import io.sabot.error.InvalidJobException;
import io.sabot.exec.ExecutionOptions;
import io.sabot.exec.JobSummary;
import io.sabot.exec.LocalExecutor;
import io.sabot.graph.JobFile;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.SinkSpec;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.plan.JobPlanner;
import io.sabot.plan.PhysicalPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code discard: true, materialize: true}: output batches are built in full, then counted. */
class DiscardMaterializeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long N = 20_000;
  private static final long R = 100;

  @TempDir Path dir;

  private static StreamOperatorNode sink(Object... keyValues) {
    Map<String, Object> p = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) p.put((String) keyValues[i], keyValues[i + 1]);
    return new StreamOperatorNode(OperatorType.SINK, "output", p);
  }

  @Test
  void shouldAskForRowsOnlyWhenMaterializing() {
    Sink counting = Connectors.sink(sink("discard", true), dir);
    assertFalse(counting.needsRows());
    Sink building = Connectors.sink(sink("discard", true, "materialize", true), dir);
    assertInstanceOf(DiscardSink.class, building);
    assertTrue(building.needsRows());
    assertTrue(Connectors.sink(sink("format", "discard", "materialize", "true"), dir).needsRows());
    assertFalse(Connectors.sink(sink("discard", true, "materialize", false), dir).needsRows());
  }

  @Test
  void shouldTakeDictionaryStringsOnlyWhenMaterializing() {
    assertTrue(Connectors.sink(sink("discard", true, "materialize", true, "strings", "dictionary"),
        dir).readsDictionaryStrings());
    assertFalse(Connectors.sink(sink("discard", true, "materialize", true), dir)
        .readsDictionaryStrings());
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> Connectors.sink(sink("discard", true, "strings", "dictionary"), dir));
    assertEquals("operator=output parameter=strings value=dictionary is used only with "
        + "materialize: true (without it no output is built)", e.problems().get(0));
    InvalidJobException bad = assertThrows(InvalidJobException.class,
        () -> Connectors.sink(sink("discard", true, "materialize", true, "strings", "dict"), dir));
    assertEquals("operator=output parameter=strings value=dict is not supported; use plain or "
        + "dictionary", bad.problems().get(0));
  }

  @Test
  void shouldNameAMaterializeThatIsNotABoolean() {
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> Connectors.sink(sink("discard", true, "materialize", "yes"), dir));
    assertEquals("operator=output parameter=materialize value=yes must be true or false",
        e.problems().get(0));
    InvalidJobException other = assertThrows(InvalidJobException.class,
        () -> Connectors.sink(sink("path", "o.csv", "materialize", true), dir));
    assertTrue(other.problems().get(0).startsWith("operator=output parameter=materialize is not a "
        + "parameter of a file sink"), other.problems().get(0));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void shouldRoundTripTheSpecThroughJson(boolean materialize) throws Exception {
    StreamOperatorNode node = materialize ? sink("discard", true, "materialize", true)
        : sink("discard", true);
    SinkSpec spec = node.spec(SinkSpec.class);
    assertEquals(new SinkSpec(new DiscardSpec(materialize)), spec);
    String json = JSON.writeValueAsString(spec.toParameters());
    assertEquals(materialize ? "{\"discard\":true,\"materialize\":true}" : "{\"discard\":true}", json);
    @SuppressWarnings("unchecked")
    Map<String, Object> back = JSON.readValue(json, LinkedHashMap.class);
    assertEquals(spec, new StreamOperatorNode(OperatorType.SINK, "output", back).spec());
  }

  /** docs/workload.md's recipe, counted row by row without the engine. */
  private static long expectedRows(boolean left) {
    SplittableRandom random = new SplittableRandom(42);
    long rows = 0;
    for (long i = 0; i < N; i++) {
      long id = random.nextLong(R + R / 20);
      double price = 1.0 + random.nextDouble() * 199.0;
      random.nextLong(10_000);
      if (price > 100 && (left || id < R)) rows++;
    }
    return rows;
  }

  @ParameterizedTest
  @ValueSource(strings = {"inner", "left", "inner:dictionary", "left:dictionary"})
  void shouldBuildEveryOutputBatchAndCountExactRows(String variant) throws Exception {
    String join = variant.split(":")[0];
    String strings = variant.endsWith(":dictionary") ? ", strings: dictionary" : "";
    Path file = dir.resolve("job.yaml");
    Files.writeString(file, String.join("\n",
        "job_name: materialize",
        "operators:",
        "  - {name: q, type: SOURCE, parameters: {generator: quotes, rows: " + N
            + ", reference_rows: " + R + ", batch_size: 1000}}",
        "  - {name: f, type: FILTER, parameters: {column: price, operator: '>', value: 100}}",
        "  - {name: s, type: SOURCE, parameters: {generator: securities, reference_rows: " + R + "}}",
        "  - {name: sel, type: SELECT, parameters: {columns: [ID, CUSIP, NAME, SECTOR]}}",
        "  - {name: j, type: HASH_JOIN, parameters: {left_key: instrumentId, right_key: ID, "
            + "join_type: " + join + "}}",
        "  - {name: out, type: SINK, parameters: {discard: true, materialize: true" + strings + "}}",
        "connect: [[q, f], [f, j], [s, sel], [sel, j], [j, out]]"));
    JobGraph g = JobFile.load(file);
    PhysicalPlan plan = JobPlanner.plan(g);
    DiscardSink sink = assertInstanceOf(DiscardSink.class, plan.sinks().get(0).sink());
    assertTrue(sink.needsRows());
    assertEquals(!strings.isEmpty(), sink.readsDictionaryStrings());
    JobSummary s = new LocalExecutor(ExecutionOptions.defaults().withThreads(2)).run(plan);
    long expected = expectedRows(join.equals("left"));
    assertEquals(expected, s.rowsOut());
    assertEquals(expected, sink.rows());
    assertTrue(sink.batches() > 0, "the executor handed built batches to write");
  }
}
