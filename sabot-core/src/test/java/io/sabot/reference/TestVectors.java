package io.sabot.reference;

import io.sabot.testing.TestBatches;
import io.sabot.types.ColumnType;
import io.sabot.types.Schema;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Builds small Arrow vectors and roots for the reference-table tests; a null value is a null slot.
 * A null slot still holds data bytes (0, or the given value) under its cleared validity bit, so a
 * probe that ignored validity would find a real key there. Vectors from boxed values are built by
 * {@link TestBatches#vector}; the primitive-array forms (no boxing, for large tables) stay here.
 */
final class TestVectors {
  private TestVectors() {}

  static IntVector ints(BufferAllocator a, String name, Integer... values) {
    return (IntVector) TestBatches.vector(a, name, ColumnType.INT32, (Object[]) values);
  }

  static BigIntVector longs(BufferAllocator a, String name, Long... values) {
    return (BigIntVector) TestBatches.vector(a, name, ColumnType.INT64, (Object[]) values);
  }

  /** A long column without boxing; {@code nulls} may be null. */
  static BigIntVector longs(BufferAllocator a, String name, long[] values, boolean[] nulls) {
    BigIntVector v = (BigIntVector) ColumnType.INT64.newVector(name, a);
    v.allocateNew(values.length);
    for (int i = 0; i < values.length; i++) {
      v.set(i, values[i]);
      if (nulls != null && nulls[i]) v.setNull(i);
    }
    v.setValueCount(values.length);
    return v;
  }

  static IntVector ints(BufferAllocator a, String name, int[] values) {
    IntVector v = (IntVector) ColumnType.INT32.newVector(name, a);
    v.allocateNew(values.length);
    for (int i = 0; i < values.length; i++) v.set(i, values[i]);
    v.setValueCount(values.length);
    return v;
  }

  static TimeStampMilliVector timestamps(BufferAllocator a, String name, Long... values) {
    return (TimeStampMilliVector) TestBatches.vector(a, name, ColumnType.TIMESTAMP, (Object[]) values);
  }

  static VarCharVector strings(BufferAllocator a, String name, String... values) {
    return (VarCharVector) TestBatches.vector(a, name, ColumnType.STRING, (Object[]) values);
  }

  static Float8Vector doubles(BufferAllocator a, String name, double... values) {
    return (Float8Vector) TestBatches.vector(a, name, ColumnType.FLOAT64,
        Arrays.stream(values).boxed().toArray());
  }

  /** A root over the vectors (it owns them), with the row count of the first. */
  static VectorSchemaRoot root(FieldVector... vectors) {
    VectorSchemaRoot root = new VectorSchemaRoot(List.of(vectors));
    root.setRowCount(vectors[0].getValueCount());
    return root;
  }

  static Schema schemaOf(VectorSchemaRoot root) {
    return TestBatches.schemaOf(root);
  }

  /** 0, 1, ..., n-1. */
  static int[] identity(int n) {
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) rows[i] = i;
    return rows;
  }
}
