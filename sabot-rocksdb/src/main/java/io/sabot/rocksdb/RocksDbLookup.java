package io.sabot.rocksdb;

import io.sabot.error.JobExecutionException;
import io.sabot.error.SabotBug;
import io.sabot.reference.ReferenceStore;
import io.sabot.reference.ReferenceTable;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Snapshot;

/**
 * One worker's lookups: a stream batch's keys, distinct and sorted, in one multi-get under one
 * snapshot; the rows found (visible entries only) decoded into a small Arrow batch with the
 * table's columns, handed back as a {@link ReferenceTable} for this batch. Its arrays are reused
 * from batch to batch.
 */
final class RocksDbLookup implements ReferenceStore.Reader {
  private final StoreLayout layout;
  private final RocksDB db;
  private final RocksDbReferenceStore store;
  private final KeyCodec keys;
  private final RowCodec payload;
  private final KeyRuns runs = new KeyRuns();
  private final int[] at = new int[1];
  private final boolean all;
  // Reused: only the snapshot changes from batch to batch. The store closes it (a reader has
  // no close, and the store outlives its readers).
  private final ReadOptions read;

  RocksDbLookup(StoreLayout layout, RocksDB db, RocksDbReferenceStore store, ReadOptions read) {
    this.layout = layout;
    this.read = read;
    this.db = db;
    this.store = store;
    this.keys = new KeyCodec(layout.keyTypes);
    this.payload = new RowCodec(layout.payloadTypes);
    this.all = layout.onDuplicate == io.sabot.graph.OnDuplicate.ALL;
  }

  @Override
  public ReferenceTable lookup(ReferenceStore.View view, FieldVector[] probeKeys, int[] rows, int n,
                               BufferAllocator allocator) {
    if (view != null && ((RocksDbView) view).store != store) {
      throw new SabotBug("a view of another store reached the lookups of " + layout.operatorName);
    }
    runs.clear();
    keys.bind(probeKeys);
    for (int i = 0; i < n; i++) {
      if (rows[i] >= 0) runs.add(keys, rows[i]);
    }
    keys.unbind();
    List<byte[]> distinct = runs.group();
    List<byte[]> values = distinct.isEmpty() ? List.of()
        : view == null ? multiGet(distinct) : multiGet(distinct, ((RocksDbView) view).snapshot);
    store.lookups.add(distinct.size());
    VectorSchemaRoot found = layout.schema.newBatch(allocator);
    try {
      FieldVector[] keyOut = layout.keyVectors(found);
      FieldVector[] payloadOut = layout.payloadVectors(found);
      int row = 0;
      for (int g = 0; g < values.size(); g++) {
        byte[] v = values.get(g);
        if (v == null) continue;
        byte[] key = distinct.get(g);
        at[0] = 0;
        while (at[0] < v.length) {
          int length = (int) Bytes.getVarint(v, at);
          int next = at[0] + length;
          if ((v[at[0]] & StoreLayout.HIDDEN) == 0) {
            at[0]++;
            if (layout.numbersRows()) Bytes.getVarint(v, at);
            payload.decode(v, at, payloadOut, row);
            keys.decode(key, 0, key.length, keyOut, row);
            row++;
          }
          at[0] = next;
        }
      }
      found.setRowCount(row);
    } catch (RuntimeException | Error e) {
      found.close();
      throw e;
    }
    return ReferenceTable.ofLookup(layout.operatorName, layout.schema, found, layout.keyColumns, all);
  }

  private List<byte[]> multiGet(List<byte[]> distinct) {
    Snapshot snapshot = db.getSnapshot();
    try {
      return multiGet(distinct, snapshot);
    } finally {
      db.releaseSnapshot(snapshot);
    }
  }

  /** The values of {@code distinct} as of {@code snapshot} (the caller releases it). */
  private List<byte[]> multiGet(List<byte[]> distinct, Snapshot snapshot) {
    try {
      read.setSnapshot(snapshot);
      return db.multiGetAsList(read, distinct);
    } catch (RocksDBException e) {
      throw new JobExecutionException(layout.operatorName, null, "RocksDB lookup failed: "
          + e.getMessage(), e);
    } finally {
      read.setSnapshot(null);
    }
  }
}
