package io.sabot.rocksdb;

import io.sabot.error.JobExecutionException;
import io.sabot.graph.OnDuplicate;
import io.sabot.reference.ReferenceStore;
import io.sabot.reference.ReferenceStoreBuilder;
import io.sabot.reference.StoreRequest;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.Text;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Loads a {@link RocksDbReferenceStore} batch by batch, resolving duplicate keys exactly as the
 * memory table does, with one read per batch rather than one per row:
 *
 * <pre>
 *   batch ─► encode keys (null part: counted, skipped) ─► sort, group by key
 *         ─► multi-get the batch's distinct keys: which are stored already, and how
 *         ─► per key, by on_duplicate:  last: put the batch's last row   first: put the first row
 *            if none is stored   all: stored entries + the batch's rows   error: fail at the
 *            duplicate the memory table meets first (the smallest second row number)
 *         ─► one WriteBatch
 * </pre>
 *
 * The stored value tells whether a key existed, so the counts (keys, replaced duplicates, rows
 * the reference filter hides) are exactly the memory table's.
 */
final class RocksDbStoreBuilder implements ReferenceStoreBuilder {
  private final StoreLayout layout;
  private final RocksDbHandle handle;
  private final KeyCodec keys;
  private final RowCodec payload;
  private final KeyRuns runs = new KeyRuns();
  private final Bytes value = new Bytes(1024);
  private final Bytes entry = new Bytes(256);
  private long rows;
  private long keyCount;
  private long replaced;
  private long nullKeyRows;
  private long hidden;
  private long duplicateKeys;
  private boolean done;
  /** The store reloaded (emptied already), or null for a new one. */
  private final RocksDbReferenceStore reloading;

  RocksDbStoreBuilder(StoreRequest request) {
    this.layout = new StoreLayout(request);
    this.keys = new KeyCodec(layout.keyTypes);
    this.payload = new RowCodec(layout.payloadTypes);
    this.handle = RocksDbHandle.open(request.operatorName(), request.stateDir(),
        request.memoryBudget());
    this.reloading = null;
  }

  /** Loads {@code store} anew ({@link RocksDbReferenceStore#reload}); it stays the store's. */
  RocksDbStoreBuilder(RocksDbReferenceStore store) {
    this.layout = store.layout();
    this.keys = new KeyCodec(layout.keyTypes);
    this.payload = new RowCodec(layout.payloadTypes);
    this.handle = store.handle();
    this.reloading = store;
  }

  @Override
  public void add(VectorSchemaRoot batch, boolean[] visible) {
    int n = batch.getRowCount();
    FieldVector[] payloadVectors = layout.payloadVectors(batch);
    keys.bind(layout.keyVectors(batch));
    runs.clear();
    for (int i = 0; i < n; i++) {
      if (visible != null && !visible[i]) hidden++;
      if (!runs.add(keys, i)) nullKeyRows++;
    }
    keys.unbind();
    List<byte[]> distinct = runs.group();
    try {
      List<byte[]> stored = distinct.isEmpty() ? List.of() : handle.db.multiGetAsList(distinct);
      if (layout.onDuplicate == OnDuplicate.ERROR) checkNoDuplicate(batch, stored);
      try (WriteBatch writes = new WriteBatch()) {
        for (int g = 0; g < runs.runs; g++) {
          byte[] before = stored.get(g);
          byte[] after = resolve(g, before, payloadVectors, visible);
          if (after != null) writes.put(distinct.get(g), after);
        }
        handle.db.write(handle.writeOptions, writes);
      }
    } catch (RocksDBException e) {
      throw failure("cannot write to RocksDB in " + handle.dir, e);
    }
    rows += n;
  }

  /** The new value of distinct key {@code g} (null: leave it), counting as the memory table does. */
  private byte[] resolve(int g, byte[] before, FieldVector[] payloadVectors, boolean[] visible) {
    int from = runs.runStart[g];
    int to = runs.runStart[g + 1];
    int count = to - from;
    if (before == null) keyCount++;
    if (before != null || count > 1) duplicateKeys++;
    switch (layout.onDuplicate) {
      case LAST: {
        replaced += before == null ? count - 1 : count;
        value.pos = 0;
        addEntry(runs.row[runs.order[to - 1]], payloadVectors, visible);
        return copy(value);
      }
      case FIRST:
      case ERROR: {
        replaced += before == null ? count - 1 : count;
        if (before != null) return null;
        value.pos = 0;
        addEntry(runs.row[runs.order[from]], payloadVectors, visible);
        return copy(value);
      }
      default: { // ALL: every row, after those stored, in input order
        value.pos = 0;
        if (before != null) value.put(before, 0, before.length);
        for (int i = from; i < to; i++) addEntry(runs.row[runs.order[i]], payloadVectors, visible);
        return copy(value);
      }
    }
  }

  private void addEntry(int row, FieldVector[] payloadVectors, boolean[] visible) {
    layout.addEntry(value, entry, payload, payloadVectors, row, visible != null && !visible[row],
        rows + row);
  }

  /**
   * on_duplicate: error fails at the duplicate the memory table meets first: the one whose later
   * row comes first, with the row numbers it names.
   */
  private void checkNoDuplicate(VectorSchemaRoot batch, List<byte[]> stored) {
    long bestFirst = -1;
    int bestSecond = Integer.MAX_VALUE;
    for (int g = 0; g < runs.runs; g++) {
      int from = runs.runStart[g];
      byte[] before = stored.get(g);
      if (before != null) {
        int second = runs.row[runs.order[from]];
        if (second < bestSecond) {
          bestSecond = second;
          bestFirst = storedRowNumber(before);
        }
      } else if (runs.runStart[g + 1] - from > 1) {
        int second = runs.row[runs.order[from + 1]];
        if (second < bestSecond) {
          bestSecond = second;
          bestFirst = rows + runs.row[runs.order[from]];
        }
      }
    }
    if (bestFirst < 0) return;
    StringBuilder key = new StringBuilder();
    for (int k : layout.keyColumns) {
      Object v = batch.getVector(k).getObject(bestSecond);
      key.append(key.length() == 0 ? "" : ", ").append(layout.schema.field(k).name()).append('=')
          .append(v instanceof Text ? "\"" + v + "\"" : String.valueOf(v));
    }
    throw new JobExecutionException(layout.operatorName, null, "duplicate key " + key
        + " in the reference input (rows " + (bestFirst + 1) + " and " + (rows + bestSecond + 1)
        + "); on_duplicate: error stops at the first duplicate; use last, first or all");
  }

  private static long storedRowNumber(byte[] value) {
    int[] at = {0};
    Bytes.getVarint(value, at); // the entry's length
    at[0]++; // its flags
    return Bytes.getVarint(value, at);
  }

  private static byte[] copy(Bytes b) {
    return java.util.Arrays.copyOf(b.buf, b.pos);
  }

  @Override
  public ReferenceStore finish() {
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      handle.db.flush(flush);
      // One level: a lookup then searches one file, not each L0 file and each level in turn.
      handle.db.compactRange();
    } catch (RocksDBException e) {
      throw failure("cannot flush or compact RocksDB in " + handle.dir, e);
    }
    done = true;
    RocksDbReferenceStore store = reloading != null ? reloading : new RocksDbReferenceStore(layout, handle);
    store.loaded(rows, keyCount, replaced, nullKeyRows, hidden, duplicateKeys);
    return store;
  }

  private JobExecutionException failure(String what, RocksDBException e) {
    return new JobExecutionException(layout.operatorName, null, what + ": " + e.getMessage()
        + "; check the free space and permissions of state_dir", e);
  }

  @Override
  public void close() {
    if (!done && reloading == null) handle.close(); // a reload abandoned: the store keeps its handle
  }
}
