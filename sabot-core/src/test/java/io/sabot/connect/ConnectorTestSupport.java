package io.sabot.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.testing.TestBatches;
import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Reads sources to plain rows and collects rejects, for the connector tests. */
final class ConnectorTestSupport {
  private ConnectorTestSupport() {}

  /** One rejected record, as the reader reported it. */
  record Reject(String partition, long position, String raw, String reason) {}

  /** A rejecter that keeps what it gets, or throws (as on_error: fail does). */
  static final class Rejects implements RecordRejecter {
    final List<Reject> seen = Collections.synchronizedList(new ArrayList<>());
    private final boolean fail;

    Rejects(boolean fail) {
      this.fail = fail;
    }

    Rejects() {
      this(false);
    }

    @Override
    public void reject(String partition, long position, String rawRecord, String reason) {
      seen.add(new Reject(partition, position, rawRecord, reason));
      if (fail) throw new IllegalStateException("rejected line " + position + ": " + reason);
    }
  }

  /** What a read returned. */
  record Read(List<List<Object>> rows, List<Integer> batchSizes, List<Reject> rejects) {}

  /** Reads every partition of {@code source} with the given projection and batch size. */
  static Read read(Source source, Schema columns, int batchSize, BufferAllocator allocator)
      throws IOException {
    Rejects rejects = new Rejects();
    List<List<Object>> rows = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    for (SourcePartition partition : source.partitions()) {
      try (BatchReader reader = partition.open(new ReadContext(allocator, columns, batchSize, rejects))) {
        VectorSchemaRoot batch;
        while ((batch = reader.next()) != null) {
          try (VectorSchemaRoot b = batch) {
            assertEquals(columns.toArrow(), b.getSchema(), "batch schema");
            sizes.add(b.getRowCount());
            rows.addAll(rows(b));
          }
        }
      }
    }
    return new Read(rows, sizes, rejects.seen);
  }

  /** Reads all columns, 1024 rows per batch. */
  static Read readAll(Source source, BufferAllocator allocator) throws IOException {
    return read(source, source.schema(), 1024, allocator);
  }

  static Path write(Path dir, String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  /** Closes {@code allocator} after checking that every buffer was released. */
  static void closeChecked(RootAllocator allocator) {
    assertEquals(0, allocator.getAllocatedMemory(), "bytes still allocated");
    allocator.close();
  }

  /** A schema from "name:type" strings. */
  static Schema schema(String... columns) {
    List<Field> fields = new ArrayList<>();
    for (String c : columns) {
      String[] p = c.split(":");
      fields.add(new Field(p[0], ColumnType.parse(p[1])));
    }
    return new Schema(fields);
  }

  /** A row for assertions: {@code row(1L, "x", null)}. */
  static List<Object> row(Object... values) {
    return TestBatches.row(values);
  }

  /** Every row as Java values: Long, Integer, Double, String, Boolean (timestamps as Long), null. */
  static List<List<Object>> rows(VectorSchemaRoot root) {
    return TestBatches.rows(root);
  }

  /** A batch owned by the caller, from rows of Java values (Number, String, Boolean, null). */
  static VectorSchemaRoot batch(BufferAllocator allocator, Schema schema, List<List<Object>> rows) {
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

  private static void set(FieldVector v, int i, Object value) {
    if (value == null) {
      v.setNull(i);
    } else if (v instanceof IntVector) {
      ((IntVector) v).setSafe(i, ((Number) value).intValue());
    } else if (v instanceof BigIntVector) {
      ((BigIntVector) v).setSafe(i, ((Number) value).longValue());
    } else if (v instanceof Float8Vector) {
      ((Float8Vector) v).setSafe(i, ((Number) value).doubleValue());
    } else if (v instanceof VarCharVector) {
      ((VarCharVector) v).setSafe(i, value.toString().getBytes(StandardCharsets.UTF_8));
    } else if (v instanceof BitVector) {
      ((BitVector) v).setSafe(i, (Boolean) value ? 1 : 0);
    } else if (v instanceof TimeStampMilliVector) {
      ((TimeStampMilliVector) v).setSafe(i, ((Number) value).longValue());
    } else {
      throw new IllegalArgumentException(v.getClass().toString());
    }
  }
}
