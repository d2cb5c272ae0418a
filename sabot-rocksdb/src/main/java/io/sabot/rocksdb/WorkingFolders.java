package io.sabot.rocksdb;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The folders RocksDB stores work in, {@code sabot-rocksdb-<pid>-<random>} inside state_dir (or
 * the temporary folder), and the removal of those a killed job left behind: a store's folder is
 * removed when the store closes, but a job killed with SIGKILL never closes it, and a kept
 * store's working copy grows into a full copy of the table as it compacts. So each new folder
 * first removes the abandoned ones beside it:
 *
 * <pre>
 *   sabot-rocksdb-&lt;pid&gt;-*   pid not running  and  its RocksDB LOCK not held  ─► removed
 *                          anything else (a running job's, this JVM's, another name) ─► left
 * </pre>
 *
 * Both tests, so that a recycled pid or a folder on a disk several hosts share keeps a store
 * that is in use: RocksDB holds an advisory lock on LOCK while the database is open.
 */
final class WorkingFolders {
  private static final Pattern NAME = Pattern.compile("sabot-rocksdb-(\\d+)-.*");

  private WorkingFolders() {}

  /** A new folder in {@code parent} (null: the temporary folder), after removing abandoned ones. */
  static Path create(Path parent) throws IOException {
    Path in = parent == null ? Path.of(System.getProperty("java.io.tmpdir")) : parent;
    Files.createDirectories(in);
    removeAbandoned(in);
    return Files.createTempDirectory(in, "sabot-rocksdb-" + ProcessHandle.current().pid() + "-");
  }

  /** Removes the working folders in {@code parent} that no running process uses; the names. */
  static List<Path> removeAbandoned(Path parent) {
    List<Path> candidates;
    try (Stream<Path> entries = Files.list(parent)) {
      candidates = entries.filter(WorkingFolders::abandoned).toList();
    } catch (IOException e) {
      return List.of(); // not listable: nothing to clean, the new folder says what is wrong
    }
    for (Path folder : candidates) {
      try {
        RocksDbHandle.deleteFolder(folder);
      } catch (RuntimeException e) {
        // another job cleaning the same folder, or a file that will not go: left for later
      }
    }
    return candidates;
  }

  private static boolean abandoned(Path folder) {
    Matcher m = NAME.matcher(folder.getFileName().toString());
    if (!m.matches() || !Files.isDirectory(folder)) return false;
    long pid;
    try {
      pid = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return false;
    }
    if (ProcessHandle.of(pid).isPresent()) return false;
    return !locked(folder.resolve("LOCK"));
  }

  /** Whether a process holds RocksDB's lock on {@code lock} (no file: nobody). */
  private static boolean locked(Path lock) {
    if (!Files.exists(lock)) return false;
    try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
      FileLock held = ch.tryLock();
      if (held == null) return true;
      held.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true; // this JVM holds it
    } catch (IOException e) {
      return true; // cannot tell: leave it
    }
  }
}
