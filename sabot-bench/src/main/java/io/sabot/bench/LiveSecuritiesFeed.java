package io.sabot.bench;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ReadContext;
import io.sabot.connect.ReferenceFeed;
import io.sabot.connect.generator.GeneratorSource;
import io.sabot.types.Schema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.TransferPair;

/**
 * The securities of docs/workload.md as a live table: the R generated rows (the bootstrap), then,
 * at each {@link #poll()}, {@code rate × seconds since the bootstrap} updates in all, applied in a
 * fixed order. Update u (0-based) picks key {@code k = mix(u) mod R} and, unless it is a delete,
 * gives it the values of version {@code s = u + 1}:
 *
 * <pre>
 *   version 0 (generated)     CUSIP %09d of k*7919 mod 10^9   NAME SEC<k>       SECTOR SECTORS[k mod 11]
 *   version s > 0 (update)    CUSIP %09d of (k*7919+s) mod 10^9   NAME SEC<k>u<s>   SECTOR SECTORS[(k+1+s mod 10) mod 11]
 * </pre>
 *
 * so every update changes all three (the other columns keep their generated values). With
 * {@code deleteEvery} K > 0, every K-th update deletes its key instead (if present); a later
 * update of a deleted key inserts it again.
 *
 * <p>State is one int per key (its version) and a bit per deleted key; the rows themselves are
 * the generated batches, kept as read at the bootstrap. A snapshot or a step of changes copies
 * rows from them and writes the changed columns of updated keys: a poll costs a few
 * nanoseconds per update, a snapshot a copy of the table. The feed times its own calls
 * ({@link #stats()}), since it runs on the engine's reader thread.
 */
final class LiveSecuritiesFeed implements ReferenceFeed {
  static final String[] SECTORS = {"Technology", "Financials", "Health Care", "Energy",
      "Industrials", "Utilities", "Materials", "Real Estate", "Consumer Staples",
      "Consumer Discretionary", "Communication Services"};
  private static final byte[][] SECTOR_BYTES = new byte[SECTORS.length][];

  static {
    for (int i = 0; i < SECTORS.length; i++) SECTOR_BYTES[i] = SECTORS[i].getBytes(StandardCharsets.US_ASCII);
  }

  private final ReadContext context;
  private final int keys;
  private final long rate;
  private final long deleteEvery;
  private final LongSupplier nanoClock;
  private final long startNanos;
  private final List<VectorSchemaRoot> base; // the generated rows, context's columns
  private final int id; // column of ID in the context's columns
  private final int cusip; // column of each changed field in the context's columns, or -1
  private final int name;
  private final int sector;
  private final int[] version; // per key: 0 generated, s > 0 set by update s - 1
  private final int[] changedIn; // per generated batch: its keys whose version is not 0
  private final int[] deletedIn; // per generated batch: its keys deleted now
  // boolean arrays, not BitSets: BitSet.clear rescans its words when the highest one empties
  private final boolean[] deleted;
  // keys changed since the last snapshot or changes, with their version and presence then
  private final boolean[] dirty;
  private int[] dirtyKeys = new int[1024];
  private int[] dirtyVersion = new int[1024];
  private boolean[] dirtyWasDeleted = new boolean[1024];
  private int dirtyCount;
  private final byte[] scratch = new byte[64];

  private long applied;
  private long upserts;
  private long deletes;
  private long pollNanos;
  private long snapshots;
  private long snapshotNanos;
  private long changeSteps;
  private long changesNanos;

  /**
   * Reads the R generated securities (the context's columns) and starts the clock of the
   * updates.
   *
   * @param rate        updates per second of wall-clock time (0: none; {@link #apply} still works)
   * @param deleteEvery every K-th update deletes its key (0: none)
   */
  LiveSecuritiesFeed(ReadContext context, int referenceRows, long rate, long deleteEvery,
                     LongSupplier nanoClock) throws java.io.IOException {
    this.context = context;
    this.keys = referenceRows;
    this.rate = rate;
    this.deleteEvery = deleteEvery;
    this.nanoClock = nanoClock;
    Schema columns = context.columns();
    this.id = columns.indexOf("ID");
    if (id < 0) throw new IllegalArgumentException("live_securities needs the column ID; asked for " + columns);
    this.cusip = columns.indexOf("CUSIP");
    this.name = columns.indexOf("NAME");
    this.sector = columns.indexOf("SECTOR");
    this.version = new int[referenceRows];
    this.deleted = new boolean[referenceRows];
    this.dirty = new boolean[referenceRows];
    int batches = (int) ((referenceRows + (long) context.batchSize() - 1) / context.batchSize());
    this.changedIn = new int[batches];
    this.deletedIn = new int[batches];
    this.base = new ArrayList<>();
    try (BatchReader r = GeneratorSource.securities(referenceRows).partitions().get(0).open(context)) {
      VectorSchemaRoot b;
      long row = 0;
      while ((b = r.next()) != null) {
        base.add(b);
        if (b.getRowCount() != context.batchSize() && row + b.getRowCount() != referenceRows) {
          throw new IllegalStateException("Internal error: the generator gave a batch of "
              + b.getRowCount() + " rows before its end; this is a bug in Sabot; please report it");
        }
        if (b.getRowCount() > 0 && ((BigIntVector) b.getVector(id)).get(0) != row) {
          throw new IllegalStateException("Internal error: generated row " + row + " has another "
              + "ID; this is a bug in Sabot; please report it");
        }
        row += b.getRowCount();
      }
    } catch (RuntimeException | java.io.IOException e) {
      base.forEach(VectorSchemaRoot::close);
      throw e;
    }
    this.startNanos = nanoClock.getAsLong();
  }

  /** The key update {@code u} changes: a SplitMix64 mix of u, modulo R. */
  static int keyOf(long u, int keys) {
    long z = (u + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return (int) Long.remainderUnsigned(z, keys);
  }

  /** Whether update {@code u} is a delete (of its key, if present). */
  static boolean isDelete(long u, long deleteEvery) {
    return deleteEvery > 0 && (u + 1) % deleteEvery == 0;
  }

  /** NAME of key k at version s. */
  static String nameOf(int k, int s) {
    return s == 0 ? "SEC" + k : "SEC" + k + "u" + s;
  }

  /** SECTOR of key k at version s. */
  static String sectorOf(int k, int s) {
    return SECTORS[sectorIndex(k, s)];
  }

  /**
   * CUSIP of key k at version s: nine digits, zero-padded. Written by hand: the Kafka bench writes
   * one per update on the machine it measures, and {@code String.format} (a parse and a
   * {@code DecimalFormatSymbols} per call) cost that thread more than the producer itself.
   */
  static String cusipOf(int k, int s) {
    long v = ((long) k * 7919L + s) % 1_000_000_000L;
    byte[] digits = new byte[9];
    for (int i = 8; i >= 0; i--, v /= 10) digits[i] = (byte) ('0' + v % 10);
    return new String(digits, StandardCharsets.US_ASCII);
  }

  private static int sectorIndex(int k, int s) {
    return s == 0 ? k % 11 : (k + 1 + s % 10) % 11;
  }

  @Override
  public boolean poll() {
    long t0 = System.nanoTime();
    long due = rate == 0 ? 0 : (long) ((double) rate * (nanoClock.getAsLong() - startNanos) / 1e9);
    boolean changed = due > applied && apply(due) > 0;
    pollNanos += System.nanoTime() - t0;
    return changed;
  }

  /** Applies updates up to {@code upTo} (exclusive, from the next one); returns how many changed a row. */
  int apply(long upTo) {
    int changed = 0;
    for (long u = applied; u < upTo; u++) {
      int k = keyOf(u, keys);
      boolean gone = deleted[k];
      int b = k / context.batchSize();
      if (isDelete(u, deleteEvery)) {
        if (gone) continue;
        touch(k);
        deleted[k] = true;
        deletedIn[b]++;
        deletes++;
      } else {
        touch(k);
        if (gone) {
          deleted[k] = false;
          deletedIn[b]--;
        }
        if (version[k] == 0) changedIn[b]++;
        version[k] = (int) Math.min(u + 1, Integer.MAX_VALUE);
        upserts++;
      }
      changed++;
    }
    applied = Math.max(applied, upTo);
    return changed;
  }

  /** Remembers key k's version and presence as the last snapshot or changes gave it. */
  private void touch(int k) {
    if (dirty[k]) return;
    dirty[k] = true;
    if (dirtyCount == dirtyKeys.length) {
      dirtyKeys = Arrays.copyOf(dirtyKeys, dirtyCount * 2);
      dirtyVersion = Arrays.copyOf(dirtyVersion, dirtyCount * 2);
      dirtyWasDeleted = Arrays.copyOf(dirtyWasDeleted, dirtyCount * 2);
    }
    dirtyKeys[dirtyCount] = k;
    dirtyVersion[dirtyCount] = version[k];
    dirtyWasDeleted[dirtyCount] = deleted[k];
    dirtyCount++;
  }

  private void forgetChanges() {
    for (int i = 0; i < dirtyCount; i++) dirty[dirtyKeys[i]] = false;
    dirtyCount = 0;
  }

  /** Updates applied since the bootstrap (deletes of absent keys included). */
  long applied() {
    return applied;
  }

  @Override
  public BatchReader snapshot() {
    long t0 = System.nanoTime();
    List<VectorSchemaRoot> out = new ArrayList<>();
    try {
      for (int b = 0; b < base.size(); b++) {
        if (deletedIn[b] == 0) {
          out.add(copy(b));
          continue;
        }
        int start = b * context.batchSize();
        int end = start + base.get(b).getRowCount();
        try (Rows rows = new Rows(out, end - start - deletedIn[b])) {
          for (int k = start; k < end; k++) {
            if (!deleted[k]) rows.add(k, version[k]);
          }
        }
      }
    } catch (RuntimeException e) {
      out.forEach(VectorSchemaRoot::close);
      throw e;
    }
    forgetChanges();
    snapshots++;
    snapshotNanos += System.nanoTime() - t0;
    return BatchReader.of(out);
  }

  @Override
  public Changes changes() {
    long t0 = System.nanoTime();
    List<VectorSchemaRoot> removed = new ArrayList<>();
    List<VectorSchemaRoot> added = new ArrayList<>();
    try (Rows before = new Rows(removed, dirtyCount); Rows now = new Rows(added, dirtyCount)) {
      for (int i = 0; i < dirtyCount; i++) {
        int k = dirtyKeys[i];
        if (!dirtyWasDeleted[i]) before.add(k, dirtyVersion[i]);
        if (!deleted[k]) now.add(k, version[k]);
      }
    } catch (RuntimeException e) {
      removed.forEach(VectorSchemaRoot::close);
      added.forEach(VectorSchemaRoot::close);
      throw e;
    }
    forgetChanges();
    changeSteps++;
    changesNanos += System.nanoTime() - t0;
    return new Changes(BatchReader.of(removed), BatchReader.of(added));
  }

  @Override
  public Map<String, Object> stats() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("changelog_upserts", upserts);
    m.put("changelog_deletes", deletes);
    m.put("live_updates_applied", applied);
    m.put("feed_poll_ms", pollNanos / 1_000_000);
    m.put("feed_snapshots", snapshots);
    m.put("feed_snapshot_ms", snapshotNanos / 1_000_000);
    m.put("feed_changes", changeSteps);
    m.put("feed_changes_ms", changesNanos / 1_000_000);
    return m;
  }

  @Override
  public void close() {
    base.forEach(VectorSchemaRoot::close);
    base.clear();
  }

  /**
   * Generated batch b, none of whose keys is deleted, as it is now: a column no update changes
   * (or, when none of the batch's keys changed, every column) shares the generated buffers; CUSIP,
   * NAME and SECTOR of a batch with changed keys are written row by row.
   */
  private VectorSchemaRoot copy(int b) {
    VectorSchemaRoot from = base.get(b);
    int n = from.getRowCount();
    int start = b * context.batchSize();
    List<FieldVector> vectors = new ArrayList<>();
    try {
      for (int c = 0; c < from.getFieldVectors().size(); c++) {
        FieldVector f = from.getVector(c);
        if (changedIn[b] == 0 || (c != cusip && c != name && c != sector)) {
          TransferPair t = f.getTransferPair(context.allocator());
          t.splitAndTransfer(0, n);
          vectors.add((FieldVector) t.getTo());
          continue;
        }
        VarCharVector to = (VarCharVector) f.getField().createVector(context.allocator());
        vectors.add(to);
        to.allocateNew((long) (f.getBufferSize() * 1.5) + 64, n);
        for (int row = 0; row < n; row++) {
          int s = version[start + row];
          if (s == 0) {
            to.copyFromSafe(row, row, f);
          } else if (c == cusip) {
            to.setSafe(row, scratch, 0, cusipBytes(start + row, s));
          } else if (c == name) {
            to.setSafe(row, scratch, 0, nameBytes(start + row, s));
          } else {
            to.setSafe(row, SECTOR_BYTES[sectorIndex(start + row, s)]);
          }
        }
        to.setValueCount(n);
      }
    } catch (RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    return new VectorSchemaRoot(from.getSchema(), vectors, n);
  }

  /**
   * Rows of keys at given versions, written into batches of the context's columns and batch
   * size: each column copied from the key's generated row, CUSIP, NAME and SECTOR written when
   * the version is not 0. On close the last batch is finished (kept when it holds rows).
   */
  private final class Rows implements AutoCloseable {
    private final List<VectorSchemaRoot> out;
    private int left; // rows still to come, to size the next batch
    private VectorSchemaRoot batch;
    private int n;

    Rows(List<VectorSchemaRoot> out, int rows) {
      this.out = out;
      this.left = rows;
    }

    void add(int k, int s) {
      if (batch == null) {
        batch = VectorSchemaRoot.create(context.columns().toArrow(), context.allocator());
        try {
          int rows = Math.max(1, Math.min(left, context.batchSize()));
          for (FieldVector v : batch.getFieldVectors()) {
            if (v instanceof VarCharVector) {
              ((VarCharVector) v).setInitialCapacity(rows, 20); // NAME SEC<k>u<s>: up to 20 bytes
            } else {
              v.setInitialCapacity(rows);
            }
          }
          batch.allocateNew();
        } catch (RuntimeException e) {
          batch.close();
          batch = null;
          throw e;
        }
        n = 0;
      }
      // ID, CUSIP, NAME and SECTOR are computed (version 0 too: the generator's values), so a
      // step reads the generated rows (scattered over the whole table) only for other columns
      List<FieldVector> to = batch.getFieldVectors();
      for (int c = 0; c < to.size(); c++) {
        if (c == id) {
          ((BigIntVector) to.get(c)).set(n, k);
        } else if (c == cusip) {
          ((VarCharVector) to.get(c)).setSafe(n, scratch, 0, cusipBytes(k, s));
        } else if (c == name) {
          ((VarCharVector) to.get(c)).setSafe(n, scratch, 0, nameBytes(k, s));
        } else if (c == sector) {
          ((VarCharVector) to.get(c)).setSafe(n, SECTOR_BYTES[sectorIndex(k, s)]);
        } else {
          to.get(c).copyFromSafe(k % context.batchSize(), n,
              base.get(k / context.batchSize()).getVector(c));
        }
      }
      left--;
      if (++n == context.batchSize()) finish();
    }

    private void finish() {
      if (batch == null) return;
      if (n == 0) {
        batch.close();
      } else {
        batch.setRowCount(n);
        out.add(batch);
      }
      batch = null;
    }

    @Override
    public void close() {
      finish();
    }
  }

  private int cusipBytes(int k, int s) {
    long v = ((long) k * 7919L + s) % 1_000_000_000L;
    for (int p = 8; p >= 0; p--, v /= 10) scratch[p] = (byte) ('0' + v % 10);
    return 9;
  }

  private int nameBytes(int k, int s) {
    scratch[0] = 'S';
    scratch[1] = 'E';
    scratch[2] = 'C';
    int at = digits(k, 3);
    if (s == 0) return at;
    scratch[at++] = 'u';
    return digits(s, at);
  }

  private int digits(long v, int at) {
    int d = 1;
    for (long x = v; x >= 10; x /= 10) d++;
    for (int p = at + d - 1; p >= at; p--, v /= 10) scratch[p] = (byte) ('0' + v % 10);
    return at + d;
  }

}
