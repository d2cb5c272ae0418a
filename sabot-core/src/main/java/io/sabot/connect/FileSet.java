package io.sabot.connect;

import io.sabot.error.InvalidJobException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a source's {@code path} names: one file, every file of a directory, or the files matching
 * a glob ({@code data/*.csv}, {@code logs/**}{@code /*.jsonl}); sorted by path, one partition
 * each. Hidden files (a leading dot) are left out, as a shell would, unless the pattern's file
 * name starts with a dot. A directory without {@code format} keeps the files with a known
 * extension; the format is the given one, else the one the files' extensions agree on.
 */
final class FileSet {
  /** The files and their format. */
  record Resolved(List<Path> files, FileFormat format) {}

  private FileSet() {}

  static Resolved resolve(String operator, String path, Path baseDir, FileFormat format) {
    String where = "operator=" + operator + " parameter=path";
    boolean glob = path.chars().anyMatch(ch -> ch == '*' || ch == '?' || ch == '[' || ch == '{');
    List<Path> files;
    String what;
    if (glob) {
      files = glob(baseDir, path);
      what = "pattern=" + baseDir.resolve(path).toAbsolutePath().normalize();
      if (files.isEmpty()) throw new InvalidJobException(where + " " + what + " matches no files");
    } else {
      Path p = baseDir.resolve(path).toAbsolutePath().normalize();
      what = "file=" + p;
      if (!Files.exists(p)) throw new InvalidJobException(where + " " + what + " does not exist");
      if (Files.isDirectory(p)) {
        files = list(p);
        what = "directory=" + p;
      } else {
        return new Resolved(List.of(p), format != null ? format : formatOf(where, what, p));
      }
    }
    if (format != null) {
      if (!glob) files = files.stream().filter(f -> FileFormat.ofFile(f) == format).collect(Collectors.toList());
      if (files.isEmpty()) {
        throw new InvalidJobException(where + " " + what + " holds no " + format + " files");
      }
      return new Resolved(files, format);
    }
    if (!glob) files = files.stream().filter(f -> FileFormat.ofFile(f) != null).collect(Collectors.toList());
    if (files.isEmpty()) {
      throw new InvalidJobException(where + " " + what + " holds no files with a known extension ("
          + FileFormat.knownExtensions() + ")");
    }
    List<FileFormat> formats = files.stream().map(FileFormat::ofFile).distinct().collect(Collectors.toList());
    if (formats.size() != 1 || formats.get(0) == null) {
      throw new InvalidJobException(where + " " + what + " holds files of formats " + formats
          + "; set parameter=format to csv, jsonl or arrow");
    }
    return new Resolved(files, formats.get(0));
  }

  private static FileFormat formatOf(String where, String what, Path file) {
    FileFormat f = FileFormat.ofFile(file);
    if (f == null) {
      throw new InvalidJobException(where + " " + what + " has no known extension ("
          + FileFormat.knownExtensions() + ") and parameter=format is not given; use "
          + FileFormat.ACCEPTED);
    }
    return f;
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().startsWith("."))
          .sorted(Comparator.comparing(Path::toString)).collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Walks from the longest directory prefix without glob characters. */
  private static List<Path> glob(Path baseDir, String pattern) {
    Path absolute = baseDir.resolve(pattern).toAbsolutePath().normalize();
    Path root = absolute.getRoot();
    Path start = root;
    int globAt = 0;
    for (Path segment : absolute) {
      String s = segment.toString();
      if (s.chars().anyMatch(ch -> ch == '*' || ch == '?' || ch == '[' || ch == '{')) break;
      start = start.resolve(s);
      globAt++;
    }
    int depth = absolute.toString().contains("**") ? Integer.MAX_VALUE : absolute.getNameCount() - globAt;
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + absolute);
    if (!Files.isDirectory(start)) return List.of();
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(start, depth)) {
      boolean dotFiles = absolute.getFileName().toString().startsWith(".");
      s.filter(Files::isRegularFile).filter(matcher::matches)
          .filter(f -> dotFiles || !f.getFileName().toString().startsWith("."))
          .forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(Comparator.comparing(Path::toString));
    return out;
  }
}
