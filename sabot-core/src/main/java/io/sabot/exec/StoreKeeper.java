package io.sabot.exec;

import io.sabot.connect.ReferenceFeed;
import io.sabot.connect.file.Folders;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * Keeps a live table's store between runs, beside the rows its feed keeps, so that a restart
 * opens the store instead of loading the whole table again:
 *
 * <pre>
 *   running:  the feed took its rows at version V for its snapshot  and  the store holds V's rows
 *             ─► store.keep(&lt;state_dir&gt;/&lt;join&gt;/rocksdb.kept/&lt;hash of V&gt;, V, definition)
 *                (a RocksDB checkpoint: hard links and a flush), then every other kept folder
 *                is removed except the one of the feed's durable snapshot (its file may still be
 *                being written: until it is, a crash restores the older one, whose store stays)
 *   restart:  the feed restored V ─► provider.openKept(that folder of V) ─► a copy of the store
 *             ─► the feed's changes since V applied to it ─► running
 *             anything else (none kept at V, another definition, a file that does not verify,
 *             a catch-up the store cannot apply in place) ─► the table is loaded from the feed
 * </pre>
 *
 * The version ties the store to the feed's rows, so a store is only ever used with the rows it
 * was made from; the definition (columns, keys, on_duplicate, the join's parameters and the
 * reference pipeline's operators) ties it to the job, so a changed filter or projection loads
 * the table anew. A keep that fails is reported once and not tried again in the run. Not
 * thread-safe: the stored table's thread.
 */
final class StoreKeeper {
  static final String FOLDER = "rocksdb.kept";
  /** Join parameters that change where or how a table is kept, not its rows. */
  private static final Set<String> NOT_ROWS = Set.of("state_backend", "state_dir", "memory_budget",
      "reference_refresh_ms");

  private final String joinName;
  /** {@code <state_dir>/<join>/rocksdb.kept}: a folder per version kept. */
  private final Path dir;
  private final String definition;
  private String lastKept;
  private boolean restored;
  private String notRestoredBecause;
  private long restoreMillis;
  private long keeps;
  private long keepMillis;
  /** Why a keep failed (then none is tried again this run); null: none did. */
  private String keepFailed;

  /** The store being opened ahead, for {@link #prefetchedVersion} (null: none). */
  private CompletableFuture<ReferenceStore> prefetched;
  private String prefetchedVersion;

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
   * Starts opening the store kept at {@code version} on a thread of its own, while the feed
   * goes on restoring its rows (the feed tells the version as soon as its snapshot verified):
   * the copy, the open and the checksums of every table file then cost the restart nothing.
   * {@link #restore} takes it, or {@link #discard()} closes it.
   */
  void prefetch(String version, ReferenceBuild build, Schema schema) {
    discard();
    StoreRequest request = ReferenceLoad.request(build, schema);
    CompletableFuture<ReferenceStore> future = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        future.complete(openKept(request, version));
      } catch (Throwable e) {
        future.completeExceptionally(e);
      }
    }, "sabot-kept-store-" + joinName);
    t.setDaemon(true);
    prefetched = future;
    prefetchedVersion = version;
    t.start();
  }

  /** Whether a store was kept at {@code version} (a folder only: whether it opens is not known). */
  boolean keepsFolderOf(String version) {
    return Files.isDirectory(folderOf(version));
  }

  /** Closes a store opened ahead and not taken (a feed that failed, a restore refused later). */
  void discard() {
    CompletableFuture<ReferenceStore> f = prefetched;
    prefetched = null;
    prefetchedVersion = null;
    if (f == null) return;
    f.whenComplete((store, failure) -> {
      if (store != null) store.close();
    });
  }

  private ReferenceStore openKept(StoreRequest request, String version) throws IOException {
    ReferenceStoreProvider provider = ReferenceStores.find("rocksdb");
    return provider == null ? null
        : provider.openKept(request, folderOf(version), version, definition);
  }

  /** The store opened ahead for {@code version}, waited for; its failure as {@link #openKept}'s. */
  private ReferenceStore takePrefetched(String version) throws IOException {
    CompletableFuture<ReferenceStore> f = prefetched;
    if (f == null || !version.equals(prefetchedVersion)) {
      discard();
      return null;
    }
    prefetched = null;
    prefetchedVersion = null;
    try {
      return f.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException) throw (IOException) cause;
      if (cause instanceof RuntimeException) throw (RuntimeException) cause;
      if (cause instanceof Error) throw (Error) cause;
      throw new IOException(cause);
    }
  }

  /**
   * The store kept at the version the feed restored, opened as a copy for this run (ahead, by
   * {@link #prefetch}, when the feed told the version early); null when there is none to use
   * (then a warning says why, when one was there).
   */
  ReferenceStore restore(ReferenceBuild build, Schema schema, ReferenceFeed feed) {
    String version = feed.restoredVersion();
    if (version == null) {
      discard();
      notRestoredBecause = "the changelog was read from its beginning (no snapshot restored)";
      return null;
    }
    long t0 = System.nanoTime();
    StoreRequest request = ReferenceLoad.request(build, schema);
    try {
      boolean ahead = prefetched != null && version.equals(prefetchedVersion);
      ReferenceStore store = ahead ? takePrefetched(version) : null;
      if (!ahead) {
        discard();
        store = openKept(request, version);
      }
      if (store == null) {
        noneKeptAtTheVersionRestored();
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
   * Keeps {@code store} when the feed took its rows for a snapshot at a version not kept yet and
   * the store holds exactly those rows ({@code inSync}: every change the feed took is applied),
   * then removes the folders no restart can use. A failure is reported and ends keeping for this
   * run: the table runs on, and a restart loads it.
   */
  void keepIfNewer(ReferenceStore store, ReferenceFeed feed, boolean inSync) {
    String kept = feed.keptVersion();
    if (keepFailed != null || !inSync || kept == null || kept.equals(lastKept)
        || !kept.equals(feed.version())) return;
    long t0 = System.nanoTime();
    try {
      store.keep(folderOf(kept), kept, definition);
      lastKept = kept;
      keeps++;
      removeAllBut(folderOf(kept), feed.savedVersion());
      keepMillis = (System.nanoTime() - t0) / 1_000_000;
    } catch (IOException | RuntimeException e) {
      keepFailed = e.getMessage() == null ? e.toString() : e.getMessage();
      System.err.println("WARNING: operator=" + joinName + " cannot keep the RocksDB store in "
          + dir + " (" + keepFailed + "); the table keeps running, and no store is kept again "
          + "in this run (a restart loads the table from the changelog's rows)");
    }
  }

  /**
   * The folder of a version: a hash of its text, so that folders of several versions can be
   * there at once (the metadata inside holds the version itself, compared at open).
   */
  private Path folderOf(String version) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(version.getBytes(StandardCharsets.UTF_8));
      StringBuilder name = new StringBuilder("v-");
      for (int i = 0; i < 10; i++) name.append(String.format("%02x", digest[i]));
      return dir.resolve(name.toString());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }

  /** Removes every kept folder but {@code keep} and that of {@code saved} (null: none). */
  private void removeAllBut(Path keep, String saved) throws IOException {
    Path alsoKeep = saved == null ? null : folderOf(saved);
    List<Path> others;
    try (Stream<Path> folders = Files.list(dir)) {
      others = folders.filter(f -> !f.equals(keep) && !f.equals(alsoKeep)).toList();
    }
    for (Path f : others) Folders.deleteTree(f);
  }

  /** No store was kept at the version the feed restored (the table is loaded instead). */
  void noneKeptAtTheVersionRestored() {
    notRestoredBecause = "none is kept in " + dir + " for the version restored";
  }

  /** The store restored could not be used after all: the table is loaded, for this reason. */
  void notRestored(String reason) {
    restored = false;
    notRestoredBecause = reason;
    lastKept = null;
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
