package io.sabot.exec;

import io.sabot.connect.ReferenceFeed;
import io.sabot.graph.JoinSpec;
import io.sabot.plan.OperatorStep;
import io.sabot.plan.ReferenceBuild;
import io.sabot.reference.ReferenceStore;
import io.sabot.reference.ReferenceStoreProvider;
import io.sabot.reference.ReferenceStores;
import io.sabot.reference.StoreRequest;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Keeps a live table's store between runs, beside the rows its feed keeps
 * ({@code <state_dir>/<join>/rocksdb.kept}), so that a restart opens the store instead of loading
 * the whole table again:
 *
 * <pre>
 *   running:  the feed kept its rows at version V (its snapshot)  and  the store holds V's rows
 *             ─► store.keep(dir, V, definition)      (a RocksDB checkpoint: hard links, a flush)
 *   restart:  the feed restored V ─► provider.openKept(dir, V, definition) ─► a copy of the store
 *             ─► the feed's changes since V applied to it ─► running
 *             anything else (none kept, another V, another definition, a file that does not
 *             verify) ─► a warning when there was one, and the table is loaded from the feed
 * </pre>
 *
 * The version ties the store to the feed's rows, so a store is only ever used with the rows it
 * was made from; the definition (columns, keys, on_duplicate, the join's parameters and the
 * reference pipeline's operators) ties it to the job, so a changed filter or projection loads
 * the table anew. Not thread-safe: the stored table's thread.
 */
final class StoreKeeper {
  static final String FOLDER = "rocksdb.kept";
  /** Join parameters that change where or how a table is kept, not its rows. */
  private static final Set<String> NOT_ROWS = Set.of("state_backend", "state_dir", "memory_budget",
      "reference_refresh_ms");

  private final String joinName;
  private final Path dir;
  private final String definition;
  private String lastKept;
  private boolean restored;
  private String notRestoredBecause;
  private long restoreMillis;
  private long keeps;
  private long keepMillis;
  private String keepFailed;

  private StoreKeeper(String joinName, Path dir, String definition) {
    this.joinName = joinName;
    this.dir = dir;
    this.definition = definition;
  }

  /** For {@code build}'s table, when its join has a state_dir; else null (nothing is kept). */
  static StoreKeeper of(ReferenceBuild build, Schema schema) {
    String stateDir = build.join().spec(JoinSpec.class).state().stateDir();
    if (stateDir == null) return null;
    Path dir = Path.of(stateDir).toAbsolutePath().resolve(build.join().name()).resolve(FOLDER);
    return new StoreKeeper(build.join().name(), dir, definition(build, schema));
  }

  /** What turns the feed's rows into this table: a kept store made by another is not used. */
  static String definition(ReferenceBuild build, Schema schema) {
    StringBuilder d = new StringBuilder("columns={");
    for (Field f : schema.fields()) d.append(f.name()).append(':').append(f.type().jobName()).append(',');
    d.append("} keys=");
    for (int k : build.keyColumns()) d.append(schema.field(k).name()).append(',');
    d.append(" on_duplicate=").append(build.onDuplicate());
    Map<String, Object> join = new TreeMap<>(build.join().parameters());
    join.keySet().removeAll(NOT_ROWS);
    d.append(" join=").append(join);
    for (OperatorStep step : build.input().operators()) {
      d.append(' ').append(step.node().operatorType()).append(' ').append(step.node().name())
          .append(new TreeMap<>(step.node().parameters()));
    }
    return d.toString();
  }

  /**
   * The store kept at the version the feed restored, opened as a copy for this run; null when
   * there is none to use (then a warning says why, when one was there).
   */
  ReferenceStore restore(ReferenceBuild build, Schema schema, ReferenceFeed feed) {
    String version = feed.restoredVersion();
    if (version == null) {
      notRestoredBecause = "the changelog was read from its beginning (no snapshot restored)";
      return null;
    }
    long t0 = System.nanoTime();
    StoreRequest request = ReferenceLoad.request(build, schema);
    try {
      ReferenceStoreProvider provider = ReferenceStores.find("rocksdb");
      ReferenceStore store = provider == null ? null
          : provider.openKept(request, dir, version, definition);
      if (store == null) {
        notRestoredBecause = "none is kept in " + dir;
        return null;
      }
      restored = true;
      lastKept = version;
      restoreMillis = (System.nanoTime() - t0) / 1_000_000;
      return store;
    } catch (IOException e) {
      notRestoredBecause = e.getMessage();
      System.err.println("WARNING: operator=" + joinName + " " + e.getMessage() + "; the table "
          + "is loaded from the changelog's rows, and the store kept next replaces it");
      return null;
    }
  }

  /**
   * Keeps {@code store} when the feed kept its rows at a version it has not been kept at yet and
   * the store holds exactly those rows ({@code inSync}: every change the feed took is applied).
   * A failure is reported and counted; the table runs on, and a restart loads it anew.
   */
  void keepIfNewer(ReferenceStore store, ReferenceFeed feed, boolean inSync) {
    String kept = feed.keptVersion();
    if (!inSync || kept == null || kept.equals(lastKept) || !kept.equals(feed.version())) return;
    long t0 = System.nanoTime();
    try {
      store.keep(dir, kept, definition);
      lastKept = kept;
      keeps++;
      keepMillis = (System.nanoTime() - t0) / 1_000_000;
    } catch (IOException | RuntimeException e) {
      keepFailed = e.getMessage();
      lastKept = kept; // not tried again for this version
      System.err.println("WARNING: operator=" + joinName + " cannot keep the RocksDB store in "
          + dir + " (" + e.getMessage() + "); the table keeps running, and a restart loads it "
          + "from the changelog's rows");
    }
  }

  /** For the join's summary line. */
  void stats(Map<String, Object> out) {
    out.put("store_restored", restored);
    if (restored) out.put("store_restore_ms", restoreMillis);
    if (!restored && notRestoredBecause != null) out.put("store_not_restored_because", notRestoredBecause);
    out.put("store_kept", keeps);
    out.put("store_keep_ms", keepMillis);
    if (keepFailed != null) out.put("store_keep_failed", keepFailed);
  }
}
