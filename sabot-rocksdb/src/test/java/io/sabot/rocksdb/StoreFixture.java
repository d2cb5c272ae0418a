package io.sabot.rocksdb;

import io.sabot.graph.OnDuplicate;
import io.sabot.reference.ReferenceStore;
import io.sabot.reference.ReferenceStoreBuilder;
import io.sabot.reference.ReferenceTable;
import io.sabot.reference.StoreRequest;
import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Stores of (ID, NAME) rows, built as a job builds them (through the provider, from Arrow
 * batches) and read as a job reads them (a reader's lookup of a batch of keys), for the live
 * store tests.
 */
final class StoreFixture {
  static final Schema SCHEMA = Schema.of(new Field("ID", ColumnType.INT64),
      new Field("NAME", ColumnType.STRING));

  private StoreFixture() {}

  /** Join {@code j}'s table keyed by ID, 16 MiB of memory, its files in {@code stateDir}. */
  static StoreRequest request(Path stateDir, OnDuplicate onDuplicate) {
    return new StoreRequest("j", SCHEMA, new int[] {0}, onDuplicate, 16L << 20, stateDir);
  }

  /** A batch of rows given as ID, NAME, ID, NAME...; a null ID is a null key. */
  static VectorSchemaRoot rows(BufferAllocator allocator, Object... idName) {
    VectorSchemaRoot b = SCHEMA.newBatch(allocator);
    b.allocateNew();
    int n = idName.length / 2;
    for (int i = 0; i < n; i++) {
      if (idName[2 * i] == null) {
        ((BigIntVector) b.getVector(0)).setNull(i);
      } else {
        ((BigIntVector) b.getVector(0)).setSafe(i, (Long) idName[2 * i]);
      }
      ((VarCharVector) b.getVector(1)).setSafe(i,
          ((String) idName[2 * i + 1]).getBytes(StandardCharsets.UTF_8));
    }
    b.setRowCount(n);
    return b;
  }

  /** Loads a new store in {@code stateDir} (on_duplicate: last); {@code visible}: null for all. */
  static ReferenceStore load(Path stateDir, BufferAllocator allocator, boolean[] visible,
                             Object... idName) {
    try (ReferenceStoreBuilder b = new RocksDbStoreProvider().builder(
             request(stateDir, OnDuplicate.LAST));
         VectorSchemaRoot batch = rows(allocator, idName)) {
      b.add(batch, visible);
      return b.finish();
    }
  }

  /** ID -> NAME of the keys 0..9 as {@code view} (null: now) has them. */
  static Map<Long, String> read(ReferenceStore store, ReferenceStore.View view,
                                BufferAllocator allocator) {
    return read(store, view, allocator, 0, 10);
  }

  /** ID -> NAME of the keys {@code from..to} (exclusive) as {@code view} (null: now) has them. */
  static Map<Long, String> read(ReferenceStore store, ReferenceStore.View view,
                                BufferAllocator allocator, long from, long to) {
    int n = (int) (to - from);
    Map<Long, String> out = new TreeMap<>();
    try (VectorSchemaRoot probe = SCHEMA.newBatch(allocator)) {
      probe.allocateNew();
      BigIntVector ids = (BigIntVector) probe.getVector(0);
      int[] rows = new int[n];
      for (int i = 0; i < n; i++) {
        ids.setSafe(i, from + i);
        rows[i] = i;
      }
      probe.setRowCount(n);
      try (ReferenceTable t = store.newReader().lookup(view, new FieldVector[] {ids}, rows, n,
          allocator)) {
        for (int r = 0; r < t.rowCount(); r++) {
          out.put((Long) t.column(0).getObject(r), t.column(1).getObject(r).toString());
        }
      }
    }
    return out;
  }
}
