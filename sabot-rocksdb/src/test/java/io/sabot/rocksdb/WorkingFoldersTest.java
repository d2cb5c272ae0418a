package io.sabot.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.reference.ReferenceStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store's working folder left by a killed job (its process gone, its RocksDB lock free) is
 * removed when the next store opens beside it; the folders of running processes, of stores open
 * in this JVM, and folders of any other name are left alone. (The second test, a folder whose
 * RocksDB LOCK another process holds, needs a second process holding it; POSIX locks do not
 * conflict within one process, so it is not tested here.)
 */
class WorkingFoldersTest {
  @TempDir
  Path dir;

  /** The pid of a process that has ended. */
  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    long pid = p.pid();
    while (ProcessHandle.of(pid).isPresent()) Thread.sleep(10);
    return pid;
  }

  private List<String> names() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void shouldRemoveOnlyTheFoldersOfProcessesThatAreGone() throws Exception {
    Path killed = Files.createDirectories(dir.resolve("sabot-rocksdb-" + deadPid() + "-1234"));
    Files.write(killed.resolve("000012.sst"), new byte[4096]);
    Files.write(killed.resolve("LOCK"), new byte[0]);
    Path running = Files.createDirectories(dir.resolve("sabot-rocksdb-"
        + ProcessHandle.current().parent().orElseThrow().pid() + "-77"));
    Path older = Files.createDirectories(dir.resolve("sabot-rocksdb-8812734"));
    Path other = Files.createDirectories(dir.resolve("enrich"));

    try (RootAllocator allocator = new RootAllocator();
         ReferenceStore open = StoreFixture.load(dir, allocator, null, 1L, "A");
         ReferenceStore second = StoreFixture.load(dir, allocator, null, 2L, "B")) {
      assertFalse(Files.exists(killed), "the killed job's folder is removed: " + names());
      assertTrue(Files.exists(running));
      assertTrue(Files.exists(older), "not a name this version makes: left");
      assertTrue(Files.exists(other));
      long mine;
      try (Stream<Path> s = Files.list(dir)) {
        mine = s.filter(p -> p.getFileName().toString().startsWith(
            "sabot-rocksdb-" + ProcessHandle.current().pid() + "-")).count();
      }
      assertEquals(2, mine, "both stores of this JVM kept their folders: " + names());
      assertEquals(java.util.Map.of(1L, "A"), StoreFixture.read(open, null, allocator));
    }
    assertEquals(List.of(older.getFileName().toString(), other.getFileName().toString(),
        running.getFileName().toString()).stream().sorted().toList(), names());
  }
}
