package io.sabot.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/**
 * {@link Columns#gather} against reading the chosen rows one value at a time: runs of
 * consecutive rows and single rows, nulls in every column, empty strings, room after the rows.
 */
class ColumnsTest {
  private static final Schema SCHEMA = Schema.of(new Field("ID", ColumnType.INT64),
      new Field("NAME", ColumnType.STRING), new Field("PRICE", ColumnType.FLOAT64),
      new Field("ACTIVE", ColumnType.BOOL));

  @Test
  void shouldGatherTheChosenRowsAsTheyAre() {
    Random random = new Random(5);
    try (BufferAllocator allocator = new RootAllocator();
         VectorSchemaRoot from = SCHEMA.newBatch(allocator)) {
      int rows = 1_000;
      from.allocateNew();
      for (int r = 0; r < rows; r++) {
        boolean nulls = random.nextInt(7) == 0;
        if (nulls) {
          ((BigIntVector) from.getVector(0)).setNull(r);
          ((VarCharVector) from.getVector(1)).setNull(r);
          ((Float8Vector) from.getVector(2)).setNull(r);
          ((BitVector) from.getVector(3)).setNull(r);
        } else {
          ((BigIntVector) from.getVector(0)).setSafe(r, r * 3L);
          String name = "n".repeat(random.nextInt(4)) + r; // some short, some longer
          ((VarCharVector) from.getVector(1)).setSafe(r,
              (r % 11 == 0 ? "" : name).getBytes(StandardCharsets.UTF_8));
          ((Float8Vector) from.getVector(2)).setSafe(r, r / 4.0);
          ((BitVector) from.getVector(3)).setSafe(r, r % 2);
        }
      }
      from.setRowCount(rows);
      List<Integer> chosen = new ArrayList<>();
      for (int r = 0; r < rows; r++) {
        if (random.nextInt(5) != 0) chosen.add(r); // runs broken by a row left out now and then
      }
      chosen.add(3); // and a row out of order
      int[] pick = chosen.stream().mapToInt(Integer::intValue).toArray();
      try (VectorSchemaRoot out = Columns.gather(from, pick, pick.length, SCHEMA, 100, allocator)) {
        assertEquals(pick.length, out.getRowCount());
        for (int i = 0; i < pick.length; i++) {
          for (int c = 0; c < SCHEMA.size(); c++) {
            assertEquals(String.valueOf(from.getVector(c).getObject(pick[i])),
                String.valueOf(out.getVector(c).getObject(i)), "row " + i + " column " + c);
          }
        }
        // the room after the rows takes more rows without growing
        VarCharVector names = (VarCharVector) out.getVector(1);
        long capacity = names.getDataBuffer().capacity();
        for (int i = pick.length; i < pick.length + 100; i++) names.set(i, new byte[8]);
        assertEquals(capacity, names.getDataBuffer().capacity());
        assertEquals(Arrays.toString(new byte[8]), Arrays.toString(names.get(pick.length + 99)));
      }
    }
  }
}
