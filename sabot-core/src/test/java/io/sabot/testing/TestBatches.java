package io.sabot.testing;

import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Builds Arrow batches from rows of Java values, and reads them back, for tests. */
public final class TestBatches {
  private TestBatches() {}

  /** A schema from "name:type" strings, e.g. {@code schema("id:int64", "name:string")}. */
  public static Schema schema(String... columns) {
    List<Field> fields = new ArrayList<>();
    for (String c : columns) {
      String[] p = c.split(":");
      fields.add(new Field(p[0], ColumnType.parse(p[1])));
    }
    return new Schema(fields);
  }

  /** A batch owned by the caller; values are Integer/Long/Double/String/Boolean or null. */
  public static VectorSchemaRoot batch(BufferAllocator allocator, Schema schema, Object[]... rows) {
    return batch(allocator, schema, Arrays.stream(rows).map(Arrays::asList).collect(Collectors.toList()));
  }

  /** As above, from rows as lists, e.g. {@code List.of(row(1L, "a"), row(2L, null))}. */
  public static VectorSchemaRoot batch(BufferAllocator allocator, Schema schema, List<List<Object>> rows) {
    VectorSchemaRoot root = schema.newBatch(allocator);
    try {
      root.allocateNew();
      for (int r = 0; r < rows.size(); r++) {
        for (int c = 0; c < schema.size(); c++) set(root.getVector(c), r, rows.get(r).get(c));
      }
      root.setRowCount(rows.size());
      return root;
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  /**
   * One vector owned by the caller, sized for exactly {@code values}; a null value is a null slot
   * whose data bytes are 0 (a probe that ignored validity would find the key 0 there).
   */
  public static FieldVector vector(BufferAllocator allocator, String name, ColumnType type,
                                   Object... values) {
    FieldVector v = type.newVector(name, allocator);
    try {
      if (v instanceof BaseFixedWidthVector) {
        ((BaseFixedWidthVector) v).allocateNew(values.length);
        ((BaseFixedWidthVector) v).zeroVector();
      } else {
        v.allocateNew();
      }
      for (int i = 0; i < values.length; i++) set(v, i, values[i]);
      v.setValueCount(values.length);
      return v;
    } catch (RuntimeException e) {
      v.close();
      throw e;
    }
  }

  /** The schema of a batch's vectors, read back from their Arrow types. */
  public static Schema schemaOf(VectorSchemaRoot root) {
    List<Field> fields = new ArrayList<>();
    for (FieldVector v : root.getFieldVectors()) {
      fields.add(new Field(v.getName(), ColumnType.fromArrow(v.getField().getType())));
    }
    return new Schema(fields);
  }

  private static void set(FieldVector v, int i, Object value) {
    if (value == null) {
      v.setNull(i);
      return;
    }
    if (v instanceof IntVector) {
      ((IntVector) v).setSafe(i, ((Number) value).intValue());
    } else if (v instanceof BigIntVector) {
      ((BigIntVector) v).setSafe(i, ((Number) value).longValue());
    } else if (v instanceof Float8Vector) {
      ((Float8Vector) v).setSafe(i, ((Number) value).doubleValue());
    } else if (v instanceof VarCharVector) {
      ((VarCharVector) v).setSafe(i, value.toString().getBytes(StandardCharsets.UTF_8));
    } else if (v instanceof BitVector) {
      ((BitVector) v).setSafe(i, ((Boolean) value) ? 1 : 0);
    } else if (v instanceof TimeStampMilliVector) {
      ((TimeStampMilliVector) v).setSafe(i, ((Number) value).longValue());
    } else {
      throw new IllegalArgumentException("unsupported vector " + v.getClass());
    }
  }

  /** Every row as a list of Java values (Long, Integer, Double, String, Boolean or null). */
  public static List<List<Object>> rows(VectorSchemaRoot root) {
    List<List<Object>> out = new ArrayList<>();
    for (int r = 0; r < root.getRowCount(); r++) {
      Object[] row = new Object[root.getFieldVectors().size()];
      for (int c = 0; c < row.length; c++) row[c] = value(root.getVector(c), r);
      out.add(Arrays.asList(row));
    }
    return out;
  }

  public static Object value(FieldVector v, int r) {
    if (v.isNull(r)) return null;
    if (v instanceof VarCharVector) return new String(((VarCharVector) v).get(r), StandardCharsets.UTF_8);
    if (v instanceof BitVector) return ((BitVector) v).get(r) == 1;
    if (v instanceof TimeStampMilliVector) return ((TimeStampMilliVector) v).get(r);
    return v.getObject(r);
  }

  /** A row as a list, for readable assertions: {@code row(1L, "x", null)}. */
  public static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }
}
