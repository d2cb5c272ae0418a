package io.sabot.rocksdb;

import io.sabot.error.JobExecutionException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * One changelog step applied to a live store in place, exactly as a reload from a snapshot
 * would leave it, or not at all (then the caller reloads):
 *
 * <pre>
 *   removed rows ─► keys ─► distinct, sorted (a key twice: refuse)
 *   added rows   ─► keys ─► distinct, sorted (a key twice: refuse)
 *   keys added and not removed (inserts) ─► one multi-get: refuse when one is held already (it
 *     would get a second row, which on_duplicate would decide)
 *   one WriteBatch:  delete each removed key not added again;  put each added key -> its entry
 *                    (hidden: flagged, kept, as a load keeps it)
 * </pre>
 *
 * Keys are unique here (the store refuses changes after a load that met duplicates), as in
 * {@link io.sabot.reference.LiveTable#apply}, so a removed row (the feed's earlier row of a key,
 * from which the table was loaded or changed) is the row its key holds: it is not read back. An
 * update (a key removed and added in one step, the common change) then costs no read, only its
 * put. Rows with a null key part are not stored, so they change nothing. One instance per store,
 * used by its one writer thread.
 */
final class RocksDbChanges {
  private final StoreLayout layout;
  private final RocksDbHandle handle;
  private final KeyCodec keys;
  private final RowCodec payload;
  private final KeyRuns removedRuns = new KeyRuns();
  private final KeyRuns addedRuns = new KeyRuns();
  private final Bytes value = new Bytes(1024);
  private final Bytes entry = new Bytes(256);
  /** What the last applied step did to the counts. */
  long rowDelta;
  long keyDelta;
  long hiddenDelta;

  RocksDbChanges(StoreLayout layout, RocksDbHandle handle) {
    this.layout = layout;
    this.handle = handle;
    this.keys = new KeyCodec(layout.keyTypes);
    this.payload = new RowCodec(layout.payloadTypes);
  }

  /**
   * True when applied; false, with nothing written, when the step cannot be applied exactly.
   * {@code rowNumber}: the number the first added row takes (on_duplicate: error's messages).
   */
  boolean apply(VectorSchemaRoot removed, boolean[] removedVisible, VectorSchemaRoot added,
                boolean[] addedVisible, long rowNumber) {
    List<byte[]> gone = distinct(removedRuns, removed);
    List<byte[]> come = distinct(addedRuns, added);
    if (gone == null || come == null) return false;
    try {
      // both lists are sorted (unsigned bytes): match the keys removed and added again
      boolean[] readded = new boolean[gone.size()];
      boolean[] wasRemoved = new boolean[come.size()];
      for (int g = 0, a = 0; g < gone.size() && a < come.size(); ) {
        int c = Arrays.compareUnsigned(gone.get(g), come.get(a));
        if (c == 0) {
          readded[g++] = true;
          wasRemoved[a++] = true;
        } else if (c < 0) {
          g++;
        } else {
          a++;
        }
      }
      List<byte[]> inserted = new ArrayList<>();
      for (int a = 0; a < come.size(); a++) {
        if (!wasRemoved[a]) inserted.add(come.get(a));
      }
      if (!inserted.isEmpty()) {
        for (byte[] held : handle.db.multiGetAsList(inserted)) {
          if (held != null) return false;
        }
      }
      rowDelta = 0;
      keyDelta = 0;
      hiddenDelta = 0;
      FieldVector[] payloadVectors = layout.payloadVectors(added);
      try (WriteBatch writes = new WriteBatch()) {
        for (int g = 0; g < gone.size(); g++) {
          rowDelta--;
          int row = removedRuns.row[removedRuns.order[removedRuns.runStart[g]]];
          if (removedVisible != null && !removedVisible[row]) hiddenDelta--;
          if (readded[g]) continue;
          writes.delete(gone.get(g));
          keyDelta--;
        }
        for (int a = 0; a < come.size(); a++) {
          int row = addedRuns.row[addedRuns.order[addedRuns.runStart[a]]];
          boolean hidden = addedVisible != null && !addedVisible[row];
          value.pos = 0;
          layout.addEntry(value, entry, payload, payloadVectors, row, hidden, rowNumber + row);
          writes.put(come.get(a), Arrays.copyOf(value.buf, value.pos));
          rowDelta++;
          if (!wasRemoved[a]) keyDelta++;
          if (hidden) hiddenDelta++;
        }
        handle.db.write(handle.writeOptions, writes);
      }
    } catch (RocksDBException e) {
      throw new JobExecutionException(layout.operatorName, null, "cannot apply a change to RocksDB in "
          + handle.dir + ": " + e.getMessage() + "; check the free space and permissions of "
          + "state_dir", e);
    }
    return true;
  }

  /** The distinct keys of {@code batch}'s rows (null parts skipped), sorted; null for a key twice. */
  private List<byte[]> distinct(KeyRuns runs, VectorSchemaRoot batch) {
    runs.clear();
    keys.bind(layout.keyVectors(batch));
    try {
      for (int i = 0; i < batch.getRowCount(); i++) runs.add(keys, i);
    } finally {
      keys.unbind();
    }
    List<byte[]> out = runs.group();
    return runs.runs == runs.count ? out : null;
  }
}
