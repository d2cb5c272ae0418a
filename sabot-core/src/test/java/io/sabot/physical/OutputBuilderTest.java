package io.sabot.physical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.sabot.reference.ReferenceTable;
import io.sabot.testing.TestBatches;
import io.sabot.types.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryEncoder;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
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
      List<Object> expected = new ArrayList<>();
      for (int r : rows) expected.add(r < 0 ? null : reference[r]);
      try (VectorSchemaRoot out = OutputBuilder.build(frame, outputs, OutputLayout.plain(),
          allocator, new Scratch())) {
        List<Object> actual = new ArrayList<>();
        for (List<Object> row : TestBatches.rows(out)) actual.add(row.get(0));
        assertEquals(expected, actual, type + " gathered");
      }
      if (type != ColumnType.STRING) return;
      // Dictionary-encoded: the same values once Arrow decodes the indexes with the dictionary.
      OutputLayout layout = OutputLayout.dictionaryStrings(outputs, origin -> true,
          (origin, index) -> columns[origin][index]);
      try (VectorSchemaRoot out = OutputBuilder.build(frame, outputs, layout, allocator,
          new Scratch())) {
        FieldVector indexes = out.getVector(0);
        DictionaryEncoding encoding = indexes.getField().getDictionary();
        assertEquals(new ArrowType.Int(32, true), indexes.getField().getType());
        assertEquals(ArrowType.Utf8.INSTANCE, layout.dictionaries().lookup(encoding.getId())
            .getVector().getField().getType());
        assertSame(refColumn, layout.dictionaries().lookup(encoding.getId()).getVector());
        try (ValueVector decoded = DictionaryEncoder.decode(indexes,
            layout.dictionaries().lookup(encoding.getId()))) {
          List<Object> actual = new ArrayList<>();
          for (int i = 0; i < decoded.getValueCount(); i++) {
            Object v = decoded.getObject(i);
            actual.add(v == null ? null : v.toString());
          }
          assertEquals(expected, actual, "dictionary-encoded strings decoded");
        }
      }
    }
  }

  @Test
  void shouldKeepStreamColumnsAndLiveTablesPlainAndShareOneDictionaryPerReferenceColumn() {
    try (FieldVector names = TestBatches.vector(allocator, "NAME", ColumnType.STRING,
        new Object[] {"a", "b"});
         FieldVector codes = TestBatches.vector(allocator, "CODE", ColumnType.STRING,
             new Object[] {"x", "y"})) {
      List<ColumnBinding> outputs = List.of(new ColumnBinding("symbol", 0, 0, ColumnType.STRING),
          new ColumnBinding("name", 1, 0, ColumnType.STRING),
          new ColumnBinding("name_again", 1, 0, ColumnType.STRING),
          new ColumnBinding("code", 2, 0, ColumnType.STRING));
      OutputLayout layout = OutputLayout.dictionaryStrings(outputs, origin -> origin == 1,
          (origin, index) -> origin == 1 ? names : codes);
      assertEquals(List.of(false, true, true, false), List.of(layout.isEncoded(0),
          layout.isEncoded(1), layout.isEncoded(2), layout.isEncoded(3)));
      assertEquals(layout.arrowSchema().getFields().get(1).getDictionary(),
          layout.arrowSchema().getFields().get(2).getDictionary());
      assertEquals(java.util.Set.of(0L), layout.dictionaries().getDictionaryIds());
      assertSame(OutputLayout.plain(), OutputLayout.dictionaryStrings(outputs, origin -> false,
          (origin, index) -> names), "nothing to encode: plain");
    }
  }
}
