package io.sabot.connect.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order of a folder's or a glob's files: natural order, digit runs compared as numbers. */
class FileSetOrderTest {
  @TempDir
  Path dir;

  private List<String> names(String path) {
    return FileSet.resolve("src", path, dir, FileFormat.CSV).files().stream()
        .map(p -> dir.relativize(p).toString()).collect(Collectors.toList());
  }

  @Test
  void shouldListAFolderAndAGlobInNaturalOrder() throws Exception {
    for (String n : List.of("c10.csv", "c9.csv", "c1.csv", "c09.csv", "c100.csv", "b.csv")) {
      Files.writeString(dir.resolve(n), "id\n1\n");
    }
    Files.createDirectories(dir.resolve("p2"));
    Files.createDirectories(dir.resolve("p10"));
    Files.writeString(dir.resolve("p2/a.csv"), "id\n1\n");
    Files.writeString(dir.resolve("p10/a.csv"), "id\n1\n");
    List<String> expected = List.of("b.csv", "c1.csv", "c9.csv", "c09.csv", "c10.csv", "c100.csv");
    assertEquals(expected, names("."));
    assertEquals(expected.subList(1, 6), names("c*.csv"));
    assertEquals(List.of("p2/a.csv", "p10/a.csv"), names("p*/a.csv"));
  }

  @Test
  void shouldCompareDigitRunsByValueThenByLength() {
    assertEquals(-1, Integer.signum(FileSet.compareNatural("c9.csv", "c10.csv")));
    assertEquals(-1, Integer.signum(FileSet.compareNatural("c9.csv", "c09.csv")));
    assertEquals(-1, Integer.signum(FileSet.compareNatural("c09.csv", "c10.csv")));
    assertEquals(-1, Integer.signum(FileSet.compareNatural("a.csv", "a1.csv")));
    assertEquals(-1, Integer.signum(FileSet.compareNatural("x99999999999999999999", "x100000000000000000000")));
    assertEquals(0, FileSet.compareNatural("c10.csv", "c10.csv"));
  }
}
