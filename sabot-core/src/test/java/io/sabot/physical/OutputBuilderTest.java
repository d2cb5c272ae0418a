package io.sabot.physical;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.reference.ReferenceTable;
import io.sabot.testing.TestBatches;
import io.sabot.types.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The output gather against a row-at-a-time reference: each output value is the source value at
 * the frame's row, null where the row is -1 (no match) or the source is null.
 */
class OutputBuilderTest {
  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void close() {
    allocator.close();
  }

  @Test
  void shouldGatherValuesMuchLongerThanTheColumnsAverage() {
    Object[] reference = new Object[100];
    for (int i = 0; i < reference.length; i++) reference[i] = "s" + i;
    reference[7] = "x".repeat(5_000);
    int[] rows = new int[300];
    java.util.Arrays.fill(rows, 7);
    rows[0] = 3;
    assertGathered(reference, ColumnType.STRING, rows);
  }

  @Test
  void shouldMatchARowAtATimeGatherForEveryTypeWithNullsAndUnmatchedRows() {
    Random random = new Random(42);
    for (ColumnType type : List.of(ColumnType.STRING, ColumnType.INT64, ColumnType.INT32,
        ColumnType.FLOAT64, ColumnType.BOOL)) {
      for (boolean withNulls : List.of(false, true)) {
        Object[] reference = new Object[50];
        for (int i = 0; i < reference.length; i++) {
          reference[i] = withNulls && i % 7 == 0 ? null : value(type, i, random);
        }
        int[] rows = new int[1_000];
        for (int i = 0; i < rows.length; i++) {
          rows[i] = withNulls && i % 11 == 0 ? -1 : random.nextInt(reference.length);
        }
        assertGathered(reference, type, rows);
      }
    }
  }

  private static Object value(ColumnType type, int i, Random random) {
    switch (type) {
      case STRING: return "v" + i + "-".repeat(random.nextInt(40));
      case INT64: return random.nextLong();
      case INT32: return random.nextInt();
      case FLOAT64: return random.nextDouble();
      default: return random.nextBoolean();
    }
  }

  /** Gathers {@code rows} of a one-column reference into a batch and checks it value by value. */
  private void assertGathered(Object[] reference, ColumnType type, int[] rows) {
    try (FieldVector refColumn = TestBatches.vector(allocator, "c", type, reference);
         FieldVector streamColumn = TestBatches.vector(allocator, "k", ColumnType.INT64,
             new Object[rows.length])) {
      FieldVector[][] columns = new FieldVector[2][];
      columns[1] = new FieldVector[] {refColumn};
      Frame frame = new Frame(columns, new ReferenceTable[2]);
      frame.reset(new FieldVector[] {streamColumn}, rows.length);
      System.arraycopy(rows, 0, frame.rows(1), 0, rows.length);
      List<ColumnBinding> outputs = List.of(new ColumnBinding("c", 1, 0, type));
      try (VectorSchemaRoot out = OutputBuilder.build(frame, outputs, allocator, new Scratch())) {
        List<Object> expected = new ArrayList<>();
        for (int r : rows) expected.add(r < 0 ? null : reference[r]);
        List<Object> actual = new ArrayList<>();
        for (List<Object> row : TestBatches.rows(out)) actual.add(row.get(0));
        assertEquals(expected, actual, type + " gathered");
      }
    }
  }
}
