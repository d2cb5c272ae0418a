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
 * {@link Columns#gather} and {@link Columns#scatter} against copying the rows one value at a
 * time: runs of consecutive rows and single rows, nulls in every column, empty strings, room
 * after the rows.
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
      fill(from, rows, random);
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

  /**
   * A live table's steps: each step's rows go after the rows held, to consecutive rows but for
   * the rows left out (-1, a null key); a value copied one at a time after them (a tombstone's
   * key) still lands after them.
   */
  @Test
  void shouldScatterEachStepsRowsAfterTheRowsHeldAsCopyingEachValueDoes() {
    Random random = new Random(9);
    try (BufferAllocator allocator = new RootAllocator();
         VectorSchemaRoot held = SCHEMA.newBatch(allocator);
         VectorSchemaRoot step = SCHEMA.newBatch(allocator)) {
      fill(held, 50, random);
      int[] all = new int[50];
      for (int r = 0; r < all.length; r++) all[r] = r;
      try (VectorSchemaRoot scattered = Columns.gather(held, all, 50, SCHEMA, 2_000, allocator);
           VectorSchemaRoot copied = Columns.gather(held, all, 50, SCHEMA, 2_000, allocator)) {
        int end = 50;
        for (int s = 0; s < 5; s++) {
          int n = 1 + random.nextInt(300);
          fill(step, n, random);
          int[] at = new int[n];
          for (int i = 0; i < n; i++) at[i] = random.nextInt(6) == 0 ? -1 : end++;
          for (int c = 0; c < SCHEMA.size(); c++) {
            Columns.scatter(step.getVector(c), at, n, scattered.getVector(c));
            for (int i = 0; i < n; i++) {
              if (at[i] >= 0) copied.getVector(c).copyFrom(i, at[i], step.getVector(c));
            }
          }
          int lone = random.nextInt(n);
          for (int c = 0; c < SCHEMA.size(); c++) {
            scattered.getVector(c).copyFrom(lone, end, step.getVector(c));
            copied.getVector(c).copyFrom(lone, end, step.getVector(c));
          }
          end++;
        }
        for (int r = 0; r < end; r++) {
          for (int c = 0; c < SCHEMA.size(); c++) {
            assertEquals(String.valueOf(copied.getVector(c).getObject(r)),
                String.valueOf(scattered.getVector(c).getObject(r)), "row " + r + " column " + c);
          }
        }
      }
    }
  }

  /** Rows 0..rows-1 of {@code batch}: some null in every column, some empty strings. */
  private static void fill(VectorSchemaRoot batch, int rows, Random random) {
    batch.allocateNew();
    for (int r = 0; r < rows; r++) {
      boolean nulls = random.nextInt(7) == 0;
      if (nulls) {
        ((BigIntVector) batch.getVector(0)).setNull(r);
        ((VarCharVector) batch.getVector(1)).setNull(r);
        ((Float8Vector) batch.getVector(2)).setNull(r);
        ((BitVector) batch.getVector(3)).setNull(r);
      } else {
        ((BigIntVector) batch.getVector(0)).setSafe(r, r * 3L);
        String name = "n".repeat(random.nextInt(4)) + r; // some short, some longer
        ((VarCharVector) batch.getVector(1)).setSafe(r,
            (r % 11 == 0 ? "" : name).getBytes(StandardCharsets.UTF_8));
        ((Float8Vector) batch.getVector(2)).setSafe(r, r / 4.0);
        ((BitVector) batch.getVector(3)).setSafe(r, r % 2);
      }
    }
    batch.setRowCount(rows);
  }
}
