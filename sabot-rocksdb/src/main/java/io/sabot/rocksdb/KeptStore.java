package io.sabot.rocksdb;

import io.sabot.reference.StoreRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.stream.Stream;
import org.rocksdb.Checkpoint;
import org.rocksdb.RocksDBException;

/**
 * A live store kept between runs ({@link io.sabot.reference.ReferenceStore#keep},
 * {@link io.sabot.reference.ReferenceStoreProvider#openKept}): a copy of it at one version of
 * the feed's rows, which a later run opens instead of loading the whole table again.
 *
 * <pre>
 *   keep   RocksDB checkpoint ─► DIR.tmp (memtables flushed first; SST files hard-linked)
 *          + sabot-kept.properties (KeptMetadata) ─► fsync each file and the folder
 *          ─► DIR moved to DIR.old, DIR.tmp moved to DIR ─► fsync the parent
 *          ─► DIR.old removed
 *   open   metadata verified; version, definition and the table's shape compared
 *          ─► a working copy in state_dir/sabot-rocksdb-* (SST files hard-linked, the rest
 *             copied) ─► RocksDB opened there ─► every block's checksum verified
 *          ─► the store, with the kept counts
 * </pre>
 *
 * The checkpoint is consistent because it flushes: the store writes no write-ahead log, so the
 * changes applied since the last flush live only in memtables, and a checkpoint that copied the
 * log instead would lose them. A crash between the two moves leaves no DIR, and the next run
 * loads the table anew, as without a kept store.
 *
 * <p>A job never changes the kept folder: its working copy shares only SST files, which RocksDB
 * never rewrites (it writes new ones and unlinks old ones), and copies the files it does rewrite
 * (CURRENT, MANIFEST, OPTIONS, logs). The working copy is the store's folder, removed at close.
 */
final class KeptStore {
  private KeptStore() {}

  /**
   * Keeps {@code store} as it is now in {@code dir}, replacing what is there. Readers may go on
   * reading it meanwhile; changes may not (the caller is the one thread that applies them).
   */
  static void keep(RocksDbReferenceStore store, Path dir, String version, String definition)
      throws IOException {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(definition, "definition");
    String operator = store.layout().operatorName;
    Path target = dir.toAbsolutePath();
    Path tmp = beside(target, ".tmp");
    Path old = beside(target, ".old");
    try {
      Files.createDirectories(target.getParent());
      RocksDbHandle.deleteFolder(tmp); // what a crash during an earlier keep left
      // the counts before the checkpoint: the writer thread is here, so they match its rows
      KeptMetadata metadata = KeptMetadata.of(store, version, definition);
      try (Checkpoint checkpoint = Checkpoint.create(store.handle().db)) {
        checkpoint.createCheckpoint(tmp.toString());
      }
      metadata.write(tmp.resolve(KeptMetadata.FILE));
      syncFiles(tmp);
      replace(target, tmp, old);
    } catch (RocksDBException | IOException | RuntimeException e) {
      IOException failure = new IOException("cannot keep the RocksDB store of " + operator + " in "
          + target + " (" + e.getMessage() + "); the store goes on as it is, and a later run "
          + "loads the table anew unless a later keep succeeds; check the free space and "
          + "permissions of the state folder", e);
      discard(tmp, failure);
      throw failure;
    }
  }

  /**
   * The store kept in {@code dir} at {@code version} by {@code definition}, opened as a working
   * copy for {@code request}; null when {@code dir} holds none.
   *
   * @throws IOException when one is there but cannot be used; nothing is left behind
   */
  static RocksDbReferenceStore open(StoreRequest request, Path dir, String version,
                                    String definition) throws IOException {
    if (!Files.isDirectory(dir)) return null;
    StoreLayout layout = new StoreLayout(request);
    KeptMetadata kept;
    try {
      kept = KeptMetadata.read(dir.resolve(KeptMetadata.FILE));
    } catch (IOException e) {
      throw unusable(dir, "its metadata (" + KeptMetadata.FILE + ") " + e.getMessage(), e);
    }
    if (!kept.version().equals(version)) {
      throw unusable(dir, "it holds version " + kept.version() + ", and version " + version
          + " was asked for", null);
    }
    compare(layout, dir, "definition", kept.definition(), definition);
    compare(layout, dir, "schema", kept.schema(), KeptMetadata.schemaText(layout));
    compare(layout, dir, "key columns", kept.keyColumns(), KeptMetadata.keyText(layout));
    compare(layout, dir, "on_duplicate", kept.onDuplicate(), layout.onDuplicate.jobName());

    Path work;
    try {
      work = RocksDbHandle.newFolder(request.stateDir());
    } catch (IOException e) {
      throw unusable(dir, "cannot create its working copy in "
          + (request.stateDir() == null ? "the temporary folder" : request.stateDir()) + " (" + e
          + ")", e);
    }
    RocksDbHandle handle = null;
    try {
      copyFiles(dir, work);
      handle = RocksDbHandle.openIn(work, request.memoryBudget(), false);
      // Every block of every file, now: a damaged kept file fails here, not at some lookup.
      handle.db.verifyChecksum();
    } catch (IOException | RuntimeException e) {
      IOException failure = unusable(dir, "cannot make its working copy in " + work
          + " (" + e + ")", e);
      discard(handle, work, failure);
      throw failure;
    } catch (RocksDBException e) {
      // The copy's files have the kept ones' names: name the kept file, which stays.
      String why = (e.getStatus() == null ? "" : e.getStatus().getCodeString() + ": ")
          + String.valueOf(e.getMessage()).replace(work.toString(), dir.toString());
      IOException failure = unusable(dir, "its files do not open or do not verify their "
          + "checksums (RocksDB: " + why + ")", e);
      discard(handle, work, failure);
      throw failure;
    }
    RocksDbReferenceStore store = new RocksDbReferenceStore(layout, handle);
    store.loaded(kept.rows(), kept.keyCount(), kept.replaced(), kept.nullKeyRows(), kept.hidden(),
        kept.duplicateKeys());
    return store;
  }

  /** {@code dir} gives way to {@code tmp}: no moment has a half-written {@code dir}. */
  private static void replace(Path dir, Path tmp, Path old) throws IOException {
    RocksDbHandle.deleteFolder(old); // what a crash between the moves of an earlier keep left
    boolean moved = false;
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
      moved = true;
    }
    try {
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (moved) {
        try {
          Files.move(old, dir, StandardCopyOption.ATOMIC_MOVE); // the earlier copy, still whole
        } catch (IOException again) {
          e.addSuppressed(again);
        }
      }
      throw e;
    }
    syncFolder(dir.getParent());
    try {
      RocksDbHandle.deleteFolder(old);
    } catch (UncheckedIOException e) {
      // The new copy is in place and whole; the next keep removes the old one first.
    }
  }

  /** Forces every file in {@code dir} to disk, then the folder (its names). */
  private static void syncFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
          ch.force(true);
        }
      }
    }
    syncFolder(dir);
  }

  /** So renames and new names in {@code dir} survive a crash (POSIX: fsync the folder). */
  private static void syncFolder(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems refuse to open a folder for reading (not Linux's); the files are synced.
      if (!Files.isDirectory(dir)) throw e;
    }
  }

  /**
   * Fills the working copy {@code work} with the kept files: SST files hard-linked (RocksDB only
   * reads them), or copied where the link fails (another file system); the others copied.
   */
  private static void copyFiles(Path kept, Path work) throws IOException {
    try (Stream<Path> files = Files.list(kept)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.equals(KeptMetadata.FILE)) continue; // Sabot's, not RocksDB's
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
          throw new IOException(name + " in it is not a file, and a checkpoint holds only files");
        }
        Path copy = work.resolve(name);
        if (name.endsWith(".sst")) {
          try {
            Files.createLink(copy, f);
            continue;
          } catch (IOException | UnsupportedOperationException e) {
            // copied below
          }
        }
        Files.copy(f, copy);
      }
    }
  }

  /** Fails when the kept {@code what} is not this run's. */
  private static void compare(StoreLayout layout, Path dir, String what, String kept, String now)
      throws IOException {
    if (kept.equals(now)) return;
    throw unusable(dir, "it was made by another table definition (its " + what
        + " differs: " + bothShown(kept, now) + ")", null);
  }

  /** Both texts, whole when short, else around where they first differ; on one line. */
  static String bothShown(String kept, String now) {
    if (kept.length() <= 100 && now.length() <= 100) {
      return "kept '" + oneLine(kept) + "', this run's '" + oneLine(now) + "'";
    }
    int d = 0;
    while (d < kept.length() && d < now.length() && kept.charAt(d) == now.charAt(d)) d++;
    return "from character " + (d + 1) + ", kept " + around(kept, d) + ", this run's "
        + around(now, d);
  }

  private static String around(String s, int at) {
    int from = Math.max(0, at - 30);
    int to = Math.min(s.length(), at + 50);
    return "'" + (from > 0 ? "..." : "") + oneLine(s.substring(from, to))
        + (to < s.length() ? "..." : "") + "' (" + s.length() + " characters)";
  }

  private static String oneLine(String s) {
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
  }

  private static IOException unusable(Path dir, String why, Exception cause) {
    return new IOException("the store kept in " + dir + " cannot be used: " + why, cause);
  }

  private static Path beside(Path dir, String suffix) {
    return dir.resolveSibling(dir.getFileName() + suffix);
  }

  /** Closes {@code handle} (which removes its folder), or removes {@code work} when none opened. */
  private static void discard(RocksDbHandle handle, Path work, IOException failure) {
    try {
      if (handle != null) {
        handle.close();
      } else {
        RocksDbHandle.deleteFolder(work);
      }
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private static void discard(Path folder, IOException failure) {
    try {
      RocksDbHandle.deleteFolder(folder);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}
