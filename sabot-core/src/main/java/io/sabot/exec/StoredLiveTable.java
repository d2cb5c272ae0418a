package io.sabot.exec;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ReferenceFeed;
import io.sabot.graph.JoinSpec;
import io.sabot.graph.StateBackend;
import io.sabot.physical.FusedPipeline;
import io.sabot.plan.ReferenceBuild;
import io.sabot.reference.ReferenceStore;
import io.sabot.reference.ReferenceStoreBuilder;
import io.sabot.reference.ReferenceTableStatus;
import io.sabot.types.Schema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A live reference table kept in a {@link ReferenceStore} ({@code state_backend: rocksdb}, or
 * {@code auto} once the bootstrap passes memory_budget) instead of a memory
 * {@link io.sabot.reference.LiveTable}; {@link LiveReferences} hands its tables of that kind here.
 *
 * <pre>
 *   open:   feed.snapshot() ─► reference pipeline ─► ReferenceLoad (rocksdb, or auto) ─► store
 *           (auto within memory_budget: no store; LiveReferences builds a memory table instead)
 *     or, with state_dir, when the feed restored version V and a store was kept at V
 *           ({@link StoreKeeper}): that store, opened, ─► feed.changes() since V applied to it
 *     or, with state_dir, when the feed restored V and no store was kept at V: the restored
 *           rows loaded while the feed opened ({@link #loadedWhileRestoring}; LiveReferences)
 *           ─► feed.changes() since V applied to it
 *   after the open, each step and the feed's close: the store kept beside the feed's rows
 *           whenever the feed took them for its snapshot at the version the store holds
 *   reader thread, before each stream batch:  feed.poll() ── changed? ──► feed.changes()
 *        removed and added rows ─► reference pipeline ─► store.apply (one write batch)
 *     or, when the store cannot apply them exactly (a key would get a second row, which
 *     on_duplicate would decide) or the feed cannot tell its changes:
 *        feed.snapshot() ─► reference pipeline ─► store.reload() (emptied, loaded anew)
 *   pin():  store.pin(), a view (a RocksDB snapshot) handed with the batch; every lookup of the
 *           batch reads it; closed when the batch is done
 * </pre>
 *
 * So a batch sees exactly the changes applied before it was pinned, as with memory versions.
 * Not thread-safe: {@link LiveReferences} calls it under its lock.
 */
final class StoredLiveTable implements AutoCloseable {
  private final ReferenceBuild build;
  private final ReferenceFeed feed;
  private final RefreshPace pace;
  private final BufferAllocator allocator;
  private final FusedPipeline.Worker worker;
  private final ReferenceStore store;
  private final String choice;
  /** Rows read from the feed at open (loaded, or restored and brought up to date). */
  private long rowsRead;
  /**
   * When the feed restored its rows and no kept store was opened: whether the store was loaded
   * from them while the feed restored them (else after its open); null otherwise.
   */
  private Boolean builtWhileRestoring;
  /** Why the store was loaded again at open, or null. */
  private String rebuiltBecause;
  private long versions = 1;
  private long reloads = 1; // the load at open, as a memory table counts its first build
  private long inPlace;
  private long applyNanos;
  private long reloadNanos;
  /** With state_dir: keeps the store between runs (null: nothing kept). */
  private final StoreKeeper keeper;
  /** The rows auto loaded and kept in memory, until the caller takes them (null: none). */
  private List<VectorSchemaRoot> memoryRows;
  /** False while a step is taken from the feed and not yet applied: the store then lags it. */
  private boolean inSync = true;

  private StoredLiveTable(ReferenceBuild build, ReferenceFeed feed, BufferAllocator allocator,
                          FusedPipeline.Worker worker, ReferenceStore store, String choice,
                          long rowsRead, StoreKeeper keeper) {
    this.build = build;
    this.feed = feed;
    this.pace = new RefreshPace(build);
    this.allocator = allocator;
    this.worker = worker;
    this.store = store;
    this.choice = choice;
    this.rowsRead = rowsRead;
    this.keeper = keeper;
  }

  /** Whether {@code build}'s state_backend may put its table in a store (rocksdb or auto). */
  static boolean wanted(ReferenceBuild build) {
    return build.join().spec(JoinSpec.class).state().mayUseStore();
  }

  /**
   * Loads the feed's snapshot into a store, attached to the join. Under {@code auto}, a table
   * within memory_budget gets no store: {@link #isStored()} is false, the feed stays the
   * caller's, and the caller builds its memory table from the rows loaded
   * ({@link #takeMemoryRows()}), already through the reference pipeline.
   */
  static StoredLiveTable open(ReferenceBuild build, ReferenceFeed feed, BufferAllocator allocator,
                              StoreKeeper keeper) throws Exception {
    Schema schema = build.input().pipeline().outputSchema();
    FusedPipeline.Worker worker = build.input().pipeline().newWorker();
    StoredLiveTable table = null;
    try {
      ReferenceStore kept = keeper == null ? null : keeper.restore(build, schema, feed);
      if (kept != null) {
        StoredLiveTable opened = restored(build, feed, allocator, worker, kept, keeper);
        if (opened != null) return opened;
      }
      long rows = 0;
      try (ReferenceLoad load = new ReferenceLoad(build, schema, allocator);
           BatchReader snapshot = feed.snapshot()) {
        VectorSchemaRoot batch;
        while ((batch = snapshot.next()) != null) {
          try {
            rows += batch.getRowCount();
            load.add(worker.process(batch, allocator, true));
          } finally {
            batch.close();
          }
        }
        ReferenceStore store = load.finishStore();
        table = new StoredLiveTable(build, feed, allocator, worker, store, load.choice(), rows,
            keeper);
        if (feed.restoredVersion() != null) table.builtWhileRestoring = false;
        if (store == null) table.memoryRows = load.takeRows();
      }
      table.keepIfNewer();
      return table;
    } catch (Exception | Error e) {
      List<VectorSchemaRoot> untaken = table == null ? null : table.takeMemoryRows();
      if (untaken != null) untaken.forEach(VectorSchemaRoot::close);
      if (keeper != null) keeper.discard();
      try {
        feed.close(); // not handed to anyone yet
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Under {@code auto}, a table its caller keeps in memory, built from the rows the feed restored
   * within memory_budget: only {@code choice} is reported here, as when {@link #open} finds the
   * rows within the budget.
   */
  static StoredLiveTable inMemory(ReferenceBuild build, ReferenceFeed feed, String choice) {
    return new StoredLiveTable(build, feed, null, null, null, choice, 0, null);
  }

  /**
   * The store an earlier run kept, at the version the feed restored, brought up to the feed's
   * rows now by the changes the feed read since, and attached to the join; null (the store
   * closed) when those changes cannot be applied in place: the caller then loads the table from
   * the feed's rows, as without a kept store.
   */
  private static StoredLiveTable restored(ReferenceBuild build, ReferenceFeed feed,
                                          BufferAllocator allocator, FusedPipeline.Worker worker,
                                          ReferenceStore kept, StoreKeeper keeper)
      throws Exception {
    String choice = build.join().spec(JoinSpec.class).state().backend() == StateBackend.ROCKSDB
        ? "rocksdb (kept by an earlier run)"
        : "rocksdb (auto: kept by an earlier run, which loaded it past memory_budget)";
    StoredLiveTable table = new StoredLiveTable(build, feed, allocator, worker, kept, choice, 0,
        keeper);
    table.reloads = 0; // nothing loaded: the store was opened
    StoredLiveTable opened = table.caughtUp();
    if (opened == null) keeper.notRestored(CANNOT_APPLY);
    return opened;
  }

  /**
   * A store loaded from the rows the feed restored, on a thread of its own while the feed went on
   * opening ({@link TableRestore}; no store was kept at that version), by the backend's
   * {@code choice}: brought up to the feed's rows now by the changes read since (in place, or,
   * when they cannot be, by loading it again from the feed's rows, as a running table does with
   * such a step) and attached to the join. {@code restoredRows} are the rows it was loaded from.
   */
  static StoredLiveTable loadedWhileRestoring(ReferenceBuild build, ReferenceFeed feed,
                                              BufferAllocator allocator, ReferenceStore loaded,
                                              String choice, long restoredRows,
                                              StoreKeeper keeper) throws Exception {
    try {
      StoredLiveTable table = new StoredLiveTable(build, feed, allocator,
          build.input().pipeline().newWorker(), loaded, choice, restoredRows, keeper);
      table.builtWhileRestoring = true;
      if (keeper != null) keeper.noneKeptAtTheVersionRestored();
      long start = System.nanoTime();
      long[] changed = new long[2]; // rows removed, added
      if (table.applyInPlace(changed)) {
        table.applyNanos += System.nanoTime() - start;
        table.rowsRead += changed[1] - changed[0];
      } else {
        table.rebuiltBecause = CANNOT_APPLY;
        table.rowsRead = table.reload();
        table.reloadNanos += System.nanoTime() - start;
      }
      build.probe().attach(loaded);
      table.keepIfNewer();
      return table;
    } catch (Exception | Error e) {
      loaded.close();
      throw e;
    }
  }

  /** Why a store did not take the changes read since its rows in place. */
  private static final String CANNOT_APPLY = "the changes read since the snapshot cannot be "
      + "applied in place (a key would get a second row, which on_duplicate decides)";

  /**
   * This table's store, just opened, with the feed's changes since its rows applied in place and
   * then attached to the join; null, the store closed, when they cannot be applied in place.
   */
  private StoredLiveTable caughtUp() throws Exception {
    try {
      long start = System.nanoTime();
      if (!applyInPlace()) {
        store.close();
        return null;
      }
      applyNanos += System.nanoTime() - start;
      build.probe().attach(store);
      keepIfNewer();
      return this;
    } catch (Exception | Error e) {
      store.close();
      throw e;
    }
  }

  /** What keeps {@code build}'s store between runs: null without state_dir. */
  static StoreKeeper keeper(ReferenceBuild build) {
    return StoreKeeper.of(build, build.input().pipeline().outputSchema());
  }

  /** The feed restores {@code version}: the store kept at it is opened meanwhile. */
  static void prefetch(StoreKeeper keeper, ReferenceBuild build, String version) {
    keeper.prefetch(version, build, build.input().pipeline().outputSchema());
  }

  /** False when auto kept the table in memory (only the choice is reported here). */
  boolean isStored() {
    return store != null;
  }

  /**
   * When auto kept the table in memory: the rows it loaded, through the reference pipeline, for
   * the caller's memory table (the caller closes them); null once taken, or for a store.
   */
  List<VectorSchemaRoot> takeMemoryRows() {
    List<VectorSchemaRoot> rows = memoryRows;
    memoryRows = null;
    return rows;
  }

  /** Rows read from the feed's snapshot at open. */
  long rowsRead() {
    return rowsRead;
  }

  String joinName() {
    return build.join().name();
  }

  /** Applies every change published so far (in place, or by a reload). */
  void update() throws Exception {
    if (!pace.due()) return;
    inSync = false;
    if (feed.poll()) {
      long start = System.nanoTime();
      if (applyInPlace()) {
        applyNanos += System.nanoTime() - start;
      } else {
        reload();
        reloadNanos += System.nanoTime() - start;
      }
      versions++;
    }
    inSync = true;
    keepIfNewer();
  }

  /** Keeps the store beside the feed's rows when the feed kept a newer version of them. */
  private void keepIfNewer() {
    if (keeper != null && store != null) keeper.keepIfNewer(store, feed, inSync);
  }

  /** The store as it is now, for one batch. */
  ReferenceStore.View pin() {
    return store.pin();
  }

  private boolean applyInPlace() throws Exception {
    return applyInPlace(new long[2]);
  }

  /**
   * The feed's changes applied to the store in place; false when they cannot be. The rows the
   * feed told removed and added are added to {@code rowsIn[0]} and {@code rowsIn[1]}.
   */
  private boolean applyInPlace(long[] rowsIn) throws Exception {
    ReferenceFeed.Changes changes = feed.changes();
    if (changes == null) return false;
    try (changes;
         VectorSchemaRoot removed = throughPipeline(changes.removed(), rowsIn, 0);
         VectorSchemaRoot added = throughPipeline(changes.added(), rowsIn, 1)) {
      // nothing to apply (a store with duplicate keys would refuse even that)
      if (removed.getRowCount() + added.getRowCount() > 0
          && !store.apply(removed, ReferenceLoad.visible(build, removed), added,
          ReferenceLoad.visible(build, added))) return false;
      inPlace += removed.getRowCount() + added.getRowCount();
    }
    return true;
  }

  /** Empties the store and loads it from the feed's rows; the rows read. */
  private long reload() throws Exception {
    long rows = 0;
    try (ReferenceStoreBuilder load = store.reload(); BatchReader snapshot = feed.snapshot()) {
      VectorSchemaRoot batch;
      while ((batch = snapshot.next()) != null) {
        rows += batch.getRowCount();
        try (VectorSchemaRoot out = worker.process(batch, allocator, true)) {
          load.add(out, ReferenceLoad.visible(build, out));
        } finally {
          batch.close();
        }
      }
      load.finish();
    }
    reloads++;
    return rows;
  }

  /**
   * Every batch of {@code reader} through the reference pipeline, as one batch; the rows read
   * added to {@code rowsIn[at]}.
   */
  private VectorSchemaRoot throughPipeline(BatchReader reader, long[] rowsIn, int at)
      throws Exception {
    List<VectorSchemaRoot> out = new ArrayList<>();
    try {
      VectorSchemaRoot batch;
      while ((batch = reader.next()) != null) {
        rowsIn[at] += batch.getRowCount();
        try {
          out.add(worker.process(batch, allocator, true));
        } finally {
          batch.close();
        }
      }
      return Batches.concatenate(out, build.input().pipeline().outputSchema(), allocator);
    } finally {
      out.forEach(VectorSchemaRoot::close);
    }
  }

  /** For the join's line in the summary: the backend chosen, then the versions and changes. */
  Map<String, Object> stats() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("state_backend", choice);
    if (store == null) return d;
    d.putAll(feed.stats());
    if (builtWhileRestoring != null) d.put("reference_built_while_restoring", builtWhileRestoring);
    if (rebuiltBecause != null) d.put("reference_rebuilt_because", rebuiltBecause);
    d.put("reference_versions", versions);
    d.put("reference_rebuilds", reloads);
    d.put("reference_rows_changed_in_place", inPlace);
    d.put("reference_apply_ms", applyNanos / 1_000_000);
    d.put("reference_rebuild_ms", reloadNanos / 1_000_000);
    if (keeper != null) keeper.stats(d);
    return d;
  }

  ReferenceTableStatus status(long bootstrapMillis) {
    return new ReferenceTableStatus(joinName(), store.keyCount(), versions, bootstrapMillis, inPlace,
        store.storage(), feed.keptSnapshot());
  }

  // For LiveReferences, per join (null: not a stored table), so that its own code stays apart.

  static void updateAll(StoredLiveTable[] tables) throws Exception {
    for (StoredLiveTable t : tables) {
      if (t != null && t.isStored()) t.update();
    }
  }

  /** A view of every stored table for one batch, per join; null when there is none. */
  static ReferenceStore.View[] pinAll(StoredLiveTable[] tables) {
    ReferenceStore.View[] views = null;
    for (int j = 0; j < tables.length; j++) {
      if (tables[j] == null || !tables[j].isStored()) continue;
      if (views == null) views = new ReferenceStore.View[tables.length];
      views[j] = tables[j].pin();
    }
    return views;
  }

  static void release(ReferenceStore.View[] views) {
    if (views == null) return;
    for (ReferenceStore.View v : views) {
      if (v != null) v.close();
    }
  }

  static void addStats(StoredLiveTable[] tables, Map<String, Map<String, Object>> out) {
    for (StoredLiveTable t : tables) {
      if (t != null) out.computeIfAbsent(t.joinName(), k -> new LinkedHashMap<>()).putAll(t.stats());
    }
  }

  /** Closes every stored table, even when one fails: the first failure, the later suppressed. */
  static IOException closeAll(StoredLiveTable[] tables) {
    IOException failure = null;
    for (int j = 0; j < tables.length; j++) {
      StoredLiveTable t = tables[j];
      if (t == null) continue;
      tables[j] = null;
      try {
        t.close();
      } catch (IOException | RuntimeException e) {
        IOException next = e instanceof IOException ? (IOException) e : new IOException(
            "cannot close the reference store of " + t.joinName() + ": " + e, e);
        if (failure == null) failure = next;
        else failure.addSuppressed(next);
      }
    }
    return failure;
  }

  /** Closes the store (its files) and the feed, when the table is stored; else nothing. */
  @Override
  public void close() throws IOException {
    List<VectorSchemaRoot> untaken = takeMemoryRows();
    if (untaken != null) untaken.forEach(VectorSchemaRoot::close);
    if (store == null) return;
    try {
      feed.close(); // keeps the feed's rows last (when it keeps them) ...
      keepIfNewer(); // ... and the store beside them, when it holds those rows
    } finally {
      store.close();
    }
  }
}
