package io.sabot.reference;

import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 * probe that ignored validity would find a real key there.
 */
final class TestVectors {
  private TestVectors() {}

  static IntVector ints(BufferAllocator a, String name, Integer... values) {
    IntVector v = (IntVector) ColumnType.INT32.newVector(name, a);
    v.allocateNew(values.length);
    for (int i = 0; i < values.length; i++) {
      v.set(i, values[i] == null ? 0 : values[i]);
      if (values[i] == null) v.setNull(i);
    }
    v.setValueCount(values.length);
    return v;
  }

  static BigIntVector longs(BufferAllocator a, String name, Long... values) {
    BigIntVector v = (BigIntVector) ColumnType.INT64.newVector(name, a);
    v.allocateNew(values.length);
    for (int i = 0; i < values.length; i++) {
      v.set(i, values[i] == null ? 0 : values[i]);
      if (values[i] == null) v.setNull(i);
    }
    v.setValueCount(values.length);
    return v;
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
    TimeStampMilliVector v = (TimeStampMilliVector) ColumnType.TIMESTAMP.newVector(name, a);
    v.allocateNew(values.length);
    for (int i = 0; i < values.length; i++) {
      v.set(i, values[i] == null ? 0 : values[i]);
      if (values[i] == null) v.setNull(i);
    }
    v.setValueCount(values.length);
    return v;
  }

  static VarCharVector strings(BufferAllocator a, String name, String... values) {
    VarCharVector v = (VarCharVector) ColumnType.STRING.newVector(name, a);
    v.allocateNew();
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) v.setNull(i); else v.setSafe(i, values[i].getBytes(StandardCharsets.UTF_8));
    }
    v.setValueCount(values.length);
    return v;
  }

  static Float8Vector doubles(BufferAllocator a, String name, double... values) {
    Float8Vector v = (Float8Vector) ColumnType.FLOAT64.newVector(name, a);
    v.allocateNew(values.length);
    for (int i = 0; i < values.length; i++) v.set(i, values[i]);
    v.setValueCount(values.length);
    return v;
  }

  /** A root over the vectors (it owns them), with the row count of the first. */
  static VectorSchemaRoot root(FieldVector... vectors) {
    VectorSchemaRoot root = new VectorSchemaRoot(List.of(vectors));
    root.setRowCount(vectors[0].getValueCount());
    return root;
  }

  static Schema schemaOf(VectorSchemaRoot root) {
    List<Field> fields = new ArrayList<>();
    for (FieldVector v : root.getFieldVectors()) {
      fields.add(new Field(v.getName(), ColumnType.fromArrow(v.getField().getType())));
    }
    return new Schema(fields);
  }

  /** 0, 1, ..., n-1. */
  static int[] identity(int n) {
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) rows[i] = i;
    return rows;
  }
}
