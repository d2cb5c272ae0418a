package io.sabot.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sabot.error.InvalidJobException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * HASH_JOIN's state_backend, memory_budget, state_dir and reference_refresh_ms: parsing, sizes,
 * the round trip.
 */
class StateSpecTest {
  @Test
  void shouldReadSizesWithBinaryUnits() {
    assertEquals(1024L, budget(1024));
    assertEquals(512L << 20, budget("512m"));
    assertEquals(2L << 30, budget("2g"));
    assertEquals(2L << 30, budget("2 GiB"));
    assertEquals(3L << 10, budget("3KB"));
    assertEquals(1L << 40, budget("1t"));
  }

  @Test
  void shouldDefaultToMemoryAndWriteNothingForIt() {
    JoinSpec spec = join(Map.of()).spec(JoinSpec.class);
    assertEquals(StateSpec.MEMORY, spec.state());
    assertEquals(Map.of("left_key", "id", "right_key", "ID", "join_type", "inner",
        "on_duplicate", "last"), spec.toParameters());
  }

  @Test
  void shouldGiveBackTheParametersItRead() {
    JoinSpec spec = join(Map.of("state_backend", "AUTO", "memory_budget", "64m",
        "state_dir", "/tmp/s")).spec(JoinSpec.class);
    assertEquals(new StateSpec(StateBackend.AUTO, 64L << 20, "/tmp/s"), spec.state());
    StreamOperatorNode again = StreamOperatorNode.of("op", spec);
    assertEquals(spec, new StreamOperatorNode(OperatorType.HASH_JOIN, "op", again.parameters()).spec());
  }

  @Test
  void shouldReportEveryBadStateParameterAtOnce() {
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> join(Map.of("state_backend", "disk", "memory_budget", "-5")).spec());
    assertEquals(List.of(
        "operator=op parameter=state_backend value=disk is not supported; use memory, rocksdb or auto",
        "operator=op parameter=memory_budget value=-5 is not a size; use bytes, or a number with k, "
            + "m, g or t (512m, 2g)",
        "operator=op parameter=memory_budget applies only to state_backend: rocksdb or auto, but "
            + "state_backend is memory; set state_backend or drop the parameter"), e.problems());
  }

  @Test
  void shouldReadTheRefreshIntervalOfALiveTable() {
    JoinSpec spec = join(Map.of("reference_refresh_ms", 5)).spec(JoinSpec.class);
    assertEquals(new StateSpec(StateBackend.MEMORY, null, null, 5), spec.state());
    assertEquals(5L, spec.toParameters().get("reference_refresh_ms"));
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> join(Map.of("reference_refresh_ms", "soon")).spec());
    assertEquals(List.of("operator=op parameter=reference_refresh_ms value=soon must be a whole "
        + "number >= 0"), e.problems());
    e = assertThrows(InvalidJobException.class,
        () -> join(Map.of("reference_refresh_ms", 86_400_000L)).spec());
    assertEquals(List.of("operator=op parameter=reference_refresh_ms value=86400000 is more than "
        + "an hour (3600000 ms); a live table's changes would wait that long"), e.problems());
  }

  private static long budget(Object value) {
    return join(Map.of("state_backend", "rocksdb", "memory_budget", value)).spec(JoinSpec.class)
        .state().memoryBudget();
  }

  private static StreamOperatorNode join(Map<String, Object> more) {
    Map<String, Object> p = new LinkedHashMap<>(Map.of("left_key", "id", "right_key", "ID"));
    p.putAll(more);
    return new StreamOperatorNode(OperatorType.HASH_JOIN, "op", p);
  }
}
