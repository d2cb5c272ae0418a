package io.sabot.connect.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Folders the engine and its tools make and remove: RocksDB stores, kept stores, temporary ones. */
public final class Folders {
  private Folders() {}

  /**
   * Removes {@code folder} and everything in it, deepest first; nothing when it does not exist.
   * Each caller decides what a failure means (a store that cannot be removed fails its job; a
   * temporary folder left behind is only reported, or ignored).
   */
  public static void deleteTree(Path folder) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(folder)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    } catch (NoSuchFileException e) {
      return;
    }
    for (Path p : paths) Files.deleteIfExists(p);
  }
}
