package io.sabot.exec;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ChangelogSource;
import io.sabot.connect.KeyPartitioned;
import io.sabot.connect.OwnedPartitions;
import io.sabot.connect.ReadContext;
import io.sabot.connect.ReferenceFeed;
import io.sabot.error.InvalidJobException;
import io.sabot.error.SabotBug;
import io.sabot.graph.JoinSpec;
import io.sabot.physical.FusedPipeline;
import io.sabot.physical.HashJoinExec;
import io.sabot.plan.PipelinePlan;
import io.sabot.plan.ReferenceBuild;
import io.sabot.reference.LiveTable;
import io.sabot.reference.ReferenceStore;
import io.sabot.reference.ReferenceTable;
import io.sabot.reference.ReferenceTableStatus;
import io.sabot.types.Schema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The reference tables of one stream pipeline that come from changelogs ({@link ChangelogSource},
 * a compacted Kafka topic), kept live while the stream runs. Versions, each probed whole:
 *
 * <pre>
 *   reader thread, before each stream batch:   feed.poll() ─┐
 *   (reference_refresh_ms N: the table's own                 ├─ changed? ──► feed.changes()
 *    LiveRefresher thread, every N ms):  feed.pollArrived() ─┘
 *        removed and added rows ─► reference pipeline (filter/select) ─► LiveTable.apply
 *        ─► version v+1 (the same columns, a later end) ─► becomes current; v released
 *     once half the table's room is used: the rebuild thread copies the current version's live
 *        rows into a new LiveTable (LiveTable.compact), the steps applied meanwhile are applied
 *        to it again, and it takes over
 *     or, when a change cannot be applied in place (or the feed cannot tell its changes):
 *        feed.snapshot() ─► reference pipeline ─► a new LiveTable (a rebuild) ─► version
 *   pin():   the current version of every table, reference-counted, handed to the batch
 *   workers: probe and gather only the pinned versions; release when the batch is done
 *   a LiveTable is closed when no version of it is current or pinned by a batch in flight
 * </pre>
 *
 * So each batch probes one consistent version of each table, a change published before a stream
 * record was written is visible to that record's batch (with reference_refresh_ms N: to the
 * batches handed out once the refresher has taken it, within N ms plus the time to read and
 * apply it; the reader then never waits for the changelog), a change costs the rows it
 * touches (not the table), and the hot path takes no lock (two atomic counts per table per
 * batch).
 *
 * <p>A co-partitioned join's feed reads only the reference partitions numbered as the stream
 * partitions this process reads: the stream's reader reports those in {@link #owned()} before it
 * hands out a batch of them, and the feed catches up on them in {@link #pin()}, so a batch of
 * stream partition p is probed only once reference partition p has been read to its end.
 */
final class LiveReferences implements AutoCloseable {
  /** One built table and the versions of it in use (+1 while it is the one changes go to). */
  private static final class Built {
    final LiveTable table;
    final AtomicInteger refs = new AtomicInteger(1);

    Built(LiveTable table) {
      this.table = table;
    }

    void release() {
      if (refs.decrementAndGet() == 0) table.close();
    }
  }

  /** One table version and the batches using it (+1 while it is the current one). */
  private static final class Version {
    final ReferenceTable table;
    final Built built;
    final AtomicInteger refs = new AtomicInteger(1);

    Version(ReferenceTable table, Built built) {
      this.table = table;
      this.built = built;
      built.refs.incrementAndGet();
    }

    void release() {
      if (refs.decrementAndGet() == 0) {
        table.close(); // a version: its columns stay with the built table
        built.release();
      }
    }
  }

  /** The most room a rebuilt table gets for changes after its rows: 16M rows. */
  static final int MOST_ROOM = 16 << 20;

  /**
   * A table's room lasts this many times as long as its rebuild takes (when its rows allow):
   * background rebuilds then take at most about a tenth of the rebuild thread.
   */
  static final int REBUILD_SHARE = 10;

  /** One live table: the join it feeds, its changelog, its current version. */
  private static final class Live {
    final ReferenceBuild build;
    /** Set once, right after the feed's open. */
    ReferenceFeed feed;
    /** reference_refresh_ms: 0, changes taken before every batch; else by {@link #refresher}. */
    final long refreshMillis;
    final DeadLetters rejects;
    final FusedPipeline.Worker worker;
    /** The reference pipeline leaves the feed's batches as they are: they are the table's rows. */
    final boolean passesThrough;
    /** The table's columns: the reference pipeline's output. */
    final Schema schema;
    /**
     * The columns of the rows a step removes that the table reads (their keys: {@link LiveTable}
     * reads nothing else of them), when the feed's rows are the table's (the pipeline passes
     * them through); null: all, as a pipeline may filter or compute on any of them.
     */
    final Set<String> removedKeys;
    Built built;
    Version current;
    long versions;
    long rebuilds;
    long inPlace;
    long applyNanos;
    long rebuildNanos;
    long backgroundRebuilds;
    /** The table being rebuilt on the rebuild thread, or null. */
    BackgroundRebuild pending;
    /** Why a step was last refused in place (then the table was rebuilt), or null. */
    String lastRefusal;
    /** The least room a rebuilt table gets (0: LiveTable.roomFor its rows), grown by growRoom. */
    int roomHint;
    /**
     * The room the next background rebuild gives its table for the rate changes come at (0: not
     * sized yet), by {@link #sizeRoom}.
     */
    int sizedRoom;
    /**
     * When the current table took over (nanoTime), and the rows it had added then (the steps a
     * background rebuild applied again): its room has been filling since, from there.
     */
    long tableSince;
    int tableAddedSince;
    /** The background rebuilds' time on the rebuild thread. */
    long backgroundRebuildNanos;
    /** Of the rebuild running: the rows the table had added when it started, and in how long. */
    long rebuildAdded;
    long rebuildFillNanos;
    /**
     * With reference_refresh_ms: the thread that takes the changes (holding {@link #lock}, as
     * stats do); null: the reader thread takes them before every batch.
     */
    LiveRefresher refresher;
    final ReentrantLock lock = new ReentrantLock(true);
    /** {@link #inPlace} as of the current version (for status(), under the LiveReferences lock). */
    long inPlaceAtVersion;
    /**
     * Whether the first table was built from the rows the feed restored, while it restored them
     * ({@link TableRestore}); null: the feed restored nothing.
     */
    Boolean builtWhileRestoring;
    /** When it was: how long that build took, and how long the feed's open then waited for it. */
    long restoreBuildMillis = -1;
    long restoreWaitMillis = -1;

    /**
     * The table ran out of room before its rebuild was done (or the rebuilt one could not take
     * the steps kept meanwhile, or a step did not fit): tables built from now on, in the
     * background or on the stream's path, get twice the room, up to {@link #MOST_ROOM} rows, so
     * that a fast changelog soon stops being rebuilt on the stream's path.
     */
    void growRoom() {
      long now = Math.max(roomHint, built.table.room());
      roomHint = (int) Math.min(MOST_ROOM, 2 * now);
    }

    /** Sizes the room of the tables rebuilt from now on: {@link LiveReferences#roomToLast}. */
    void sizeRoom(long rows, long added, long fillNanos, long rebuildNanos) {
      if (fillNanos > 0 && added > 0) sizedRoom = roomToLast(rows, added, fillNanos, rebuildNanos);
    }

    Live(ReferenceBuild build, DeadLetters rejects) {
      this.build = build;
      this.refreshMillis = build.join().spec(JoinSpec.class).state().refreshMillis();
      this.rejects = rejects;
      this.worker = build.input().pipeline().newWorker();
      this.passesThrough = build.input().pipeline().passesThrough(build.input().readColumns());
      this.schema = build.input().pipeline().outputSchema();
      this.removedKeys = passesThrough ? keyNames(schema, build.keyColumns()) : null;
    }

    private static Set<String> keyNames(Schema schema, int[] keyColumns) {
      Set<String> names = new HashSet<>();
      for (int c : keyColumns) names.add(schema.field(c).name());
      return names;
    }
  }

  /** The versions one batch probes; {@link #release()} once the batch is processed. */
  static final class Pinned {
    private final ReferenceTable[] tables;
    private final Version[] versions;
    private final ReferenceStore.View[] views; // stored live tables (StoredLiveTable); null: none

    private Pinned(ReferenceTable[] tables, Version[] versions, ReferenceStore.View[] views) {
      this.tables = tables;
      this.versions = versions;
      this.views = views;
    }

    ReferenceTable[] tables() {
      return tables;
    }

    ReferenceStore.View[] views() {
      return views;
    }

    void release() {
      for (Version v : versions) {
        if (v != null) v.release();
      }
      StoredLiveTable.release(views);
    }
  }

  private final BufferAllocator allocator;
  private final PipelinePlan stream;
  private final List<HashJoinExec> joins;
  private final Live[] live;
  private final StoredLiveTable[] stored; // per join: a live table kept in a store (else null)
  private final OwnedPartitions owned = new OwnedPartitions();
  /** Rebuilds tables whose room is half used, off the stream's path (started on first use). */
  private ExecutorService rebuildThread;
  private int count;

  LiveReferences(PipelinePlan stream, BufferAllocator allocator) {
    this.allocator = allocator;
    this.stream = stream;
    this.joins = stream.pipeline().joins();
    this.live = new Live[joins.size()];
    this.stored = new StoredLiveTable[joins.size()];
  }

  /** Where the stream's reader reports the partitions it reads (for co-partitioned feeds). */
  OwnedPartitions owned() {
    return owned;
  }

  /** True when {@code build}'s input is a changelog, to be kept live rather than read once. */
  static boolean isLive(ReferenceBuild build) {
    return build.input().source() instanceof ChangelogSource;
  }

  /**
   * Bootstraps the changelog of {@code build} (reads it to its current end), builds the first
   * version and attaches it to the join. Returns the rows read from the snapshot.
   */
  long open(ReferenceBuild build, DeadLetters rejects) throws Exception {
    int j = joins.indexOf(build.probe());
    if (j < 0) throw new SabotBug("join " + build.join().name() + " is not in the stream pipeline");
    PipelinePlan input = build.input();
    ReadContext context = new ReadContext(allocator, input.readColumns(), input.batchSize(), rejects);
    ChangelogSource changelog = (ChangelogSource) input.source();
    ReferenceFeed feed;
    // state_backend rocksdb or auto, with state_dir: the store may have been kept (StoreKeeper)
    boolean mayStore = StoredLiveTable.wanted(build);
    StoreKeeper keeper = mayStore ? StoredLiveTable.keeper(build) : null;
    Live l = new Live(build, rejects);
    // with state_dir, built from the rows the feed restores while it goes on opening: a memory
    // table, or under rocksdb or auto what a load makes of them (a memory table or a store)
    TableRestore<LiveTable> restore = null;
    TableRestore<RestoredLoad> restoreLoad = null;
    if (build.join().spec(JoinSpec.class).isCoPartitioned()) {
      checkPartitionCounts(build);
      feed = changelog.openFeed(context, owned);
    } else {
      String stateDir = build.join().spec(JoinSpec.class).state().stateDir();
      Path dir = stateDir == null ? null : Path.of(stateDir).resolve(build.join().name());
      try {
        if (dir == null) {
          feed = changelog.openFeed(context);
        } else if (keeper != null) {
          // the store kept at the version restored has the rows: it opens while the feed
          // restores; with none kept there, the rows restored are loaded meanwhile
          TableRestore<RestoredLoad> loading = new TableRestore<>(build.join().name(),
              (restoredRows, read) -> loadRestored(l, restoredRows, read));
          restoreLoad = loading;
          feed = changelog.openFeed(context, dir, (version, restoredRows) -> {
            if (keeper.keepsFolderOf(version)) {
              StoredLiveTable.prefetch(keeper, build, version);
            } else {
              loading.restoring(version, restoredRows);
            }
          });
        } else {
          restore = new TableRestore<>(build.join().name(), (restoredRows, read) ->
              buildTable(l, build.input().pipeline().newWorker(), restoredRows, read));
          feed = changelog.openFeed(context, dir, restore);
        }
      } catch (Exception | Error e) {
        if (keeper != null) keeper.discard();
        if (restore != null) restore.discard();
        if (restoreLoad != null) restoreLoad.discard();
        throw e;
      }
    }
    l.feed = feed;
    live[j] = l; // closed with the others from here on (a stored table takes the feed over below)
    count++;
    long[] rows = new long[1];
    LiveTable table = null;
    try {
      String version = feed.restoredVersion();
      RestoredLoad load = restoreLoad == null ? null : restoreLoad.take(version, rows);
      LiveTable restored = restore != null ? restore.take(version, rows)
          : load == null ? null : load.table();
      if (load != null && load.store() != null) {
        stored[j] = StoredLiveTable.loadedWhileRestoring(build, feed, allocator, load.store(),
            load.choice(), rows[0], keeper);
        live[j] = null; // the feed is the stored table's now (closed with it)
        return stored[j].rowsRead();
      }
      table = restored == null ? null : caughtUp(l, restored, rows);
      if (version != null) l.builtWhileRestoring = table != null;
      if (table != null) {
        TableRestore<?> taken = restore != null ? restore : restoreLoad;
        l.restoreBuildMillis = taken.buildMillis();
        l.restoreWaitMillis = taken.waitMillis();
      }
      if (table != null && load != null) stored[j] = StoredLiveTable.inMemory(build, feed, load.choice());
    } catch (Exception | Error e) {
      if (keeper != null) keeper.discard(); // a store opened ahead and not taken
      throw e;
    }
    List<VectorSchemaRoot> loaded = null; // auto within its budget: the rows it loaded
    if (table == null && mayStore) { // state_backend rocksdb or auto: see StoredLiveTable
      live[j] = null; // the feed is the stored table's (its open closes it when it fails)
      stored[j] = StoredLiveTable.open(build, feed, allocator, keeper);
      if (stored[j].isStored()) return stored[j].rowsRead();
      loaded = stored[j].takeMemoryRows();
      live[j] = l;
    }
    if (table != null) {
      becomeCurrent(l, table);
      l.tableAddedSince = table.addedRows(); // the catch-up's, not changes of the run
    } else if (loaded != null) { // read and counted once, by the load
      rows[0] = stored[j].rowsRead();
      becomeCurrent(l, buildTable(l, loaded));
    } else {
      rows[0] = 0; // the rows of the table not used are not counted
      rebuild(l, rows);
    }
    if (l.refreshMillis > 0) {
      l.refresher = LiveRefresher.start("sabot-reference-refresh-" + build.join().name(),
          l.refreshMillis, l.lock, () -> refresh(l));
    }
    return rows[0];
  }

  /**
   * What a load by the join's state_backend (rocksdb, or auto) made of the rows the feed restored
   * ({@link ReferenceLoad}, on the restore thread): a memory table (auto within memory_budget) or
   * a store not attached yet, and the backend's choice.
   */
  private record RestoredLoad(LiveTable table, ReferenceStore store, String choice)
      implements AutoCloseable {
    @Override
    public void close() {
      if (table != null) table.close();
      if (store != null) store.close();
    }
  }

  /** The rows the feed restored, through the reference pipeline, loaded as ReferenceLoad decides. */
  private RestoredLoad loadRestored(Live l, BatchReader restored, long[] rowsRead)
      throws Exception {
    FusedPipeline.Worker worker = l.build.input().pipeline().newWorker();
    try (ReferenceLoad load = new ReferenceLoad(l.build, l.schema, allocator)) {
      VectorSchemaRoot batch;
      while ((batch = restored.next()) != null) {
        rowsRead[0] += batch.getRowCount();
        load.add(throughPipeline(l, worker, batch));
      }
      ReferenceStore store = load.finishStoreUnattached();
      if (store != null) return new RestoredLoad(null, store, load.choice());
      return new RestoredLoad(buildTable(l, load.takeRows()), null, load.choice());
    }
  }

  /**
   * Co-partitioned: stream partition p meets reference partition p only when both have as many
   * partitions (a key hashes to a partition modulo their count); checked before any row is read.
   */
  private void checkPartitionCounts(ReferenceBuild build) throws IOException {
    int streamCount = ((KeyPartitioned) stream.source()).partitionCount();
    int referenceCount = ((KeyPartitioned) build.input().source()).partitionCount();
    if (streamCount == referenceCount) return;
    throw new InvalidJobException("operator=" + build.join().name()
        + " parameter=reference_partitioning value=co_partitioned needs the stream and the "
        + "reference topic partitioned alike, but the stream input " + stream.sourceName()
        + " has " + streamCount + " partitions and the reference input "
        + build.input().sourceName() + " has " + referenceCount + "; give both topics the same "
        + "number of partitions (and write both keyed by the join key), or use "
        + "reference_partitioning: broadcast");
  }

  boolean isEmpty() {
    return count == 0;
  }

  /** Whether the join filling frame origin {@code origin} probes a live table (versions come and go). */
  boolean isLiveOrigin(int origin) {
    for (int j = 0; j < live.length; j++) {
      if ((live[j] != null || stored[j] != null) && joins.get(j).refOrigin() == origin) return true;
    }
    return false;
  }

  /**
   * On a reader thread (one at a time: a source may have several readers), before a stream batch
   * is handed out: applies every change published so far (a new version for each table that
   * changed; with reference_refresh_ms, only once that time has passed since the last look),
   * then pins the current versions.
   */
  synchronized Pinned pin() throws Exception {
    for (Live l : live) {
      if (l == null) continue;
      if (l.refresher != null) {
        check(l); // it takes the changes; the version it published last is pinned
      } else {
        refresh(l);
      }
    }
    StoredLiveTable.updateAll(stored);
    ReferenceTable[] tables = new ReferenceTable[joins.size()];
    Version[] versions = new Version[joins.size()];
    for (int j = 0; j < tables.length; j++) {
      if (live[j] == null) {
        tables[j] = joins.get(j).table();
      } else {
        versions[j] = live[j].current;
        versions[j].refs.incrementAndGet();
        tables[j] = versions[j].table;
      }
    }
    return new Pinned(tables, versions, StoredLiveTable.pinAll(stored));
  }

  /**
   * Takes the changes the feed has now: the rebuilt table takes over if its rebuild is done, the
   * changes are applied in place as a new version (or the table is rebuilt when they cannot be),
   * and a background rebuild starts once half the room is used. On the reader thread before a
   * batch, or on the table's {@link LiveRefresher}.
   */
  private void refresh(Live l) throws Exception {
    if (l.pending != null && l.pending.isDone()) takeOver(l);
    if (!(l.refresher != null ? l.feed.pollArrived() : l.feed.poll())) return;
    long start = System.nanoTime();
    if (applyInPlace(l)) {
      l.applyNanos += System.nanoTime() - start;
      if (l.pending == null && 2L * l.built.table.addedRows() > l.built.table.room()) {
        startRebuild(l);
      }
    } else {
      abandonRebuild(l);
      rebuild(l, new long[1]);
      l.rebuildNanos += System.nanoTime() - start;
    }
  }

  /**
   * At the stream's end, before the summary: stops every table's refresher, so the summary reads
   * tables and counters that no longer change (and no version it reads is released meanwhile);
   * throws what stopped one, if one failed (the last batches may have probed a stale table).
   */
  void stopRefreshing() throws IOException {
    for (Live l : live) {
      if (l == null || l.refresher == null) continue;
      l.refresher.close();
      check(l);
    }
  }

  /** Rethrows what stopped {@code l}'s refresher, named for its join. */
  private static void check(Live l) throws IOException {
    try {
      l.refresher.check();
    } catch (Exception e) {
      throw new IOException("the reference table of operator=" + l.build.join().name()
          + " stopped taking changes from its changelog: "
          + (e.getMessage() != null ? e.getMessage() : e.toString()), e);
    }
  }

  /** The feed's counters and the versions built, for the join's line in the summary. */
  Map<String, Map<String, Object>> stats() {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (Live l : live) {
      if (l == null) continue;
      l.lock.lock(); // not in the middle of a refresh on the table's refresher
      try {
        out.put(l.build.join().name(), stats(l));
      } finally {
        l.lock.unlock();
      }
    }
    StoredLiveTable.addStats(stored, out);
    return out;
  }

  private static Map<String, Object> stats(Live l) {
    Map<String, Object> d = new LinkedHashMap<>(l.feed.stats());
    if (l.builtWhileRestoring != null) d.put("reference_built_while_restoring", l.builtWhileRestoring);
    if (l.restoreBuildMillis >= 0) {
      d.put("reference_restore_build_ms", l.restoreBuildMillis);
      d.put("reference_restore_wait_ms", l.restoreWaitMillis);
    }
    d.put("reference_versions", l.versions);
    d.put("reference_rebuilds", l.rebuilds);
    d.put("reference_background_rebuilds", l.backgroundRebuilds);
    d.put("reference_room", l.built == null ? 0L : (long) l.built.table.room());
    d.put("reference_background_rebuild_ms", l.backgroundRebuildNanos / 1_000_000);
    if (l.lastRefusal != null) d.put("reference_rebuilt_because", l.lastRefusal);
    d.put("reference_rows_changed_in_place", l.inPlace);
    d.put("reference_apply_ms", l.applyNanos / 1_000_000);
    if (l.refresher != null && l.refresher.cpuNanos() >= 0) {
      d.put("reference_refresher_cpu_ms", l.refresher.cpuNanos() / 1_000_000);
    }
    d.put("reference_rebuild_ms", l.rebuildNanos / 1_000_000);
    return d;
  }

  /**
   * The live table {@code build} feeds, as it is now (its current version's rows, the versions
   * built), or null when that table is not live. For the progress thread: under the lock that
   * {@link #pin()} takes, so it reads a version that is not being replaced.
   */
  synchronized ReferenceTableStatus status(ReferenceBuild build, long bootstrapMillis) {
    int j = joins.indexOf(build.probe());
    if (j >= 0 && stored[j] != null && stored[j].isStored()) return stored[j].status(bootstrapMillis);
    Live l = j < 0 ? null : live[j];
    if (l == null || l.current == null) return null;
    return new ReferenceTableStatus(build.join().name(), l.current.table.liveRowCount(), l.versions,
        bootstrapMillis, l.inPlaceAtVersion,
        ReferenceTableStatus.Storage.of(l.current.table, build.probe().rowsIn()),
        l.feed.keptSnapshot());
  }

  /**
   * The feed's changes applied to the current table in place, as a new version; false when the
   * feed cannot tell its changes or the table cannot take them (then nothing changed).
   */
  private boolean applyInPlace(Live l) throws Exception {
    ReferenceFeed.Changes changes = changes(l);
    if (changes == null) return false;
    VectorSchemaRoot removed = null;
    VectorSchemaRoot added = null;
    try {
      try (changes) {
        removed = throughPipeline(l, l.worker, changes.removed());
        added = throughPipeline(l, l.worker, changes.added());
      }
      boolean applied = applyStep(l, removed, added);
      if (!applied && l.pending != null) { // the room ran out first: wait for the new table
        l.growRoom(); // changes come faster than a rebuild: the next table gets more room
        takeOver(l);
        applied = applyStep(l, removed, added);
      }
      if (!applied) {
        l.lastRefusal = l.built.table.lastRefusal();
        if ("its room is used up".equals(l.lastRefusal)) l.growRoom();
        return false;
      }
      if (l.pending != null) { // to apply again to the table being rebuilt
        l.pending.keep(removed, added);
        removed = null;
        added = null;
      }
    } finally {
      if (removed != null) removed.close();
      if (added != null) added.close();
    }
    publish(l, new Version(l.built.table.current(), l.built));
    return true;
  }

  /** The feed's changes since the last ones taken, read as far as the table needs them. */
  private static ReferenceFeed.Changes changes(Live l) throws IOException {
    return l.removedKeys == null ? l.feed.changes() : l.feed.changes(l.removedKeys);
  }

  private static boolean applyStep(Live l, VectorSchemaRoot removed, VectorSchemaRoot added) {
    long before = l.built.table.rowsChanged();
    if (!l.built.table.apply(removed, added)) return false;
    l.inPlace += l.built.table.rowsChanged() - before;
    return true;
  }

  /**
   * Starts rebuilding the table on the rebuild thread: from its own rows as of the current
   * version (each key's current row, without the rows changes replaced or removed), with fresh
   * room. No snapshot is read from the feed and nothing runs through the reference pipeline
   * again (the rows already went through it); the version is pinned until the copy is made.
   */
  private void startRebuild(Live l) {
    ExecutorService rebuildThread = rebuildThread();
    Version from = l.current;
    int room = Math.max(l.roomHint, l.sizedRoom);
    l.rebuildAdded = l.built.table.addedRows() - l.tableAddedSince;
    l.rebuildFillNanos = System.nanoTime() - l.tableSince;
    from.refs.incrementAndGet();
    try {
      l.pending = BackgroundRebuild.start(rebuildThread, () -> {
        try {
          return from.built.table.compact(from.table, room, allocator);
        } finally {
          from.release();
        }
      }, from::release);
    } catch (RuntimeException | Error e) { // not queued: nothing else releases it
      from.release();
      throw e;
    }
  }

  /**
   * The room for a table of {@code rows} rows, from the rebuild just done: it took
   * {@code rebuildNanos}, after the table before it had taken {@code added} rows in
   * {@code fillNanos}. A rebuild copies the whole table, so with a room of a fixed share of the
   * table its cost per change is fixed too, however fast the changes come: at 100K changes/s, a
   * 1M-row table with the least room was rebuilt every 1.25 s, which took the rebuild thread a
   * quarter of a core. The room is sized so that half of it lasts {@link #REBUILD_SHARE}
   * rebuilds, but at least {@link LiveTable#roomFor} and at most as many rows as the table has
   * (its columns at most twice their size): a table updated slowly keeps the least room, a fast
   * one is rebuilt about every ten rebuild-times.
   */
  static int roomToLast(long rows, long added, long fillNanos, long rebuildNanos) {
    double changesPerNano = (double) added / Math.max(1, fillNanos);
    double wanted = 2.0 * REBUILD_SHARE * rebuildNanos * changesPerNano;
    long least = LiveTable.roomFor(rows);
    long most = Math.min(MOST_ROOM, Math.max(rows, least));
    return (int) Math.min(most, Math.max(least, (long) wanted));
  }

  /** The rebuild thread, started on first use (by any table's refresher or the reader). */
  private synchronized ExecutorService rebuildThread() {
    if (rebuildThread == null) {
      rebuildThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sabot-reference-rebuild");
        t.setDaemon(true);
        return t;
      });
    }
    return rebuildThread;
  }

  /** The rebuilt table takes over (with the changes applied since its snapshot), if it can. */
  private void takeOver(Live l) throws Exception {
    BackgroundRebuild r = l.pending;
    l.pending = null;
    LiveTable table;
    try {
      table = r.finish();
    } catch (Exception | Error e) { // interrupted, or the rebuild failed: close what it holds
      r.close();
      throw e;
    }
    if (table == null) { // a kept step did not apply: the current table goes on
      l.growRoom();
      return;
    }
    Built previous = l.built;
    l.built = new Built(table);
    l.tableSince = System.nanoTime();
    l.tableAddedSince = table.addedRows(); // the kept steps, applied before it took over
    l.backgroundRebuilds++;
    l.backgroundRebuildNanos += r.buildNanos();
    l.sizeRoom(table.base().rowCount(), l.rebuildAdded, l.rebuildFillNanos, r.buildNanos());
    publish(l, new Version(table.current(), l.built));
    previous.release();
  }

  private static void abandonRebuild(Live l) {
    if (l.pending == null) return;
    l.pending.close();
    l.pending = null;
  }

  /** A new table from the feed's snapshot, through the reference pipeline (filter, select). */
  private void rebuild(Live l, long[] rowsRead) throws Exception {
    LiveTable table;
    try (BatchReader snapshot = l.feed.snapshot()) {
      table = buildTable(l, l.worker, snapshot, rowsRead);
    }
    becomeCurrent(l, table);
  }

  /**
   * The table built from the rows the feed restored ({@link TableRestore}), with the changes the
   * feed read since its snapshot (its catch-up at open) applied in place, before any version of
   * it is published; or null, the table closed, when they cannot be applied (it had duplicate
   * keys, or the catch-up does not fit in its room): then the caller builds the table from the
   * feed's rows, as without a snapshot, and never holds two tables at once. {@code rowsRead[0]}
   * (the restored rows) becomes the rows the feed holds after its catch-up.
   */
  private LiveTable caughtUp(Live l, LiveTable restored, long[] rowsRead) throws Exception {
    boolean applied = false;
    try {
      ReferenceFeed.Changes changes = changes(l);
      if (changes == null) return null;
      long[] removedRows = new long[1];
      long[] addedRows = new long[1];
      try (VectorSchemaRoot removed = throughPipeline(l, l.worker, changes.removed(), removedRows);
           VectorSchemaRoot added = throughPipeline(l, l.worker, changes.added(), addedRows)) {
        // nothing to apply: even a table that takes no step (its join key repeats) is current
        applied = removed.getRowCount() + added.getRowCount() == 0
            || restored.apply(removed, added);
      } finally {
        changes.close();
      }
      if (!applied) {
        l.lastRefusal = restored.lastRefusal();
        return null;
      }
      rowsRead[0] += addedRows[0] - removedRows[0];
      return restored;
    } finally {
      if (!applied) restored.close();
    }
  }

  /** {@code table}, just built from all the feed's rows, is the one changes go to from now on. */
  private void becomeCurrent(Live l, LiveTable table) {
    Built previous = l.built;
    l.built = new Built(table);
    l.tableSince = System.nanoTime();
    l.tableAddedSince = 0;
    l.rebuilds++;
    publish(l, new Version(table.current(), l.built));
    if (previous != null) previous.release();
  }

  /** A table of the rows of {@code reader} run through the reference pipeline by {@code worker}. */
  private LiveTable buildTable(Live l, FusedPipeline.Worker worker, BatchReader reader,
                               long[] rowsRead) throws Exception {
    List<VectorSchemaRoot> out = new ArrayList<>();
    try {
      readThroughPipeline(l, worker, reader, out, rowsRead);
    } catch (Exception | Error e) {
      out.forEach(VectorSchemaRoot::close);
      throw e;
    }
    return buildTable(l, out);
  }

  /** The table of {@code rows}, the reference pipeline's output (closed here). */
  private LiveTable buildTable(Live l, List<VectorSchemaRoot> rows) {
    try {
      int n = 0;
      for (VectorSchemaRoot b : rows) n += b.getRowCount();
      return l.build.buildLiveTable(l.schema, rows, Math.max(LiveTable.roomFor(n), l.roomHint),
          allocator);
    } finally {
      rows.forEach(VectorSchemaRoot::close);
    }
  }

  /**
   * {@code next} becomes the version later batches pin; the one before is released. Under the
   * lock {@link #pin()} holds, so a pin never takes a version being released.
   */
  private synchronized void publish(Live l, Version next) {
    Version old = l.current;
    l.current = next;
    l.versions++;
    l.inPlaceAtVersion = l.inPlace;
    l.build.probe().attach(next.table);
    if (old != null) old.release();
  }

  /** Every batch of {@code reader} through the reference pipeline, as one batch. */
  private VectorSchemaRoot throughPipeline(Live l, FusedPipeline.Worker worker, BatchReader reader)
      throws Exception {
    return throughPipeline(l, worker, reader, null);
  }

  /** As above, adding the rows read to {@code rowsRead[0]} (null: not counted). */
  private VectorSchemaRoot throughPipeline(Live l, FusedPipeline.Worker worker, BatchReader reader,
                                           long[] rowsRead) throws Exception {
    List<VectorSchemaRoot> out = new ArrayList<>();
    try {
      readThroughPipeline(l, worker, reader, out, rowsRead);
      return Batches.concatenate(out, l.schema, allocator);
    } finally {
      out.forEach(VectorSchemaRoot::close);
    }
  }

  /** Each batch of {@code reader} through the pipeline (or as it is, when it passes through). */
  private void readThroughPipeline(Live l, FusedPipeline.Worker worker, BatchReader reader,
                                   List<VectorSchemaRoot> out, long[] rowsRead) throws Exception {
    VectorSchemaRoot batch;
    while ((batch = reader.next()) != null) {
      if (rowsRead != null) rowsRead[0] += batch.getRowCount();
      out.add(throughPipeline(l, worker, batch));
    }
  }

  /** One batch through the pipeline (or as it is, when it passes through), which it takes. */
  private VectorSchemaRoot throughPipeline(Live l, FusedPipeline.Worker worker,
                                           VectorSchemaRoot batch) throws Exception {
    if (l.passesThrough) {
      l.build.input().pipeline().countPassedThrough(batch.getRowCount());
      return batch;
    }
    try {
      return worker.process(batch, allocator, true);
    } finally {
      batch.close();
    }
  }

  /**
   * Releases the current versions (closed once no batch pins them) and closes every feed, even
   * when one fails to close: the first failure is thrown, the later ones suppressed on it.
   */
  @Override
  public void close() throws IOException {
    IOException failure = StoredLiveTable.closeAll(stored);
    for (int j = 0; j < live.length; j++) {
      Live l = live[j];
      if (l == null) continue;
      live[j] = null;
      if (l.refresher != null) l.refresher.close(); // stopped at the stream's end, unless it failed
      try {
        abandonRebuild(l);
        if (l.current != null) l.current.release();
        if (l.built != null) l.built.release();
      } catch (RuntimeException e) {
        failure = keep(failure, new IOException("cannot close the reference table of "
            + l.build.join().name() + ": " + e, e));
      }
      try {
        l.feed.close();
      } catch (IOException e) {
        failure = keep(failure, e);
      } catch (RuntimeException e) {
        failure = keep(failure, new IOException("cannot close the changelog feed of "
            + l.build.join().name() + ": " + e, e));
      }
    }
    if (rebuildThread != null) rebuildThread.shutdown(); // an abandoned rebuild closes its table
    if (failure != null) throw failure;
  }

  private static IOException keep(IOException first, IOException next) {
    if (first == null) return next;
    if (next != first) first.addSuppressed(next);
    return first;
  }
}
