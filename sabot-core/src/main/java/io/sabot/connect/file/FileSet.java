package io.sabot.connect.file;

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
 * a glob ({@code data/*.csv}, {@code logs/**}{@code /*.jsonl}); one partition each, in natural
 * path order ({@link #NATURAL_ORDER}: {@code c9.csv} before {@code c10.csv}), which is the order
 * rows reach a reference table, so {@code on_duplicate: last} means the last file as a person
 * would count them. Hidden files (a leading dot) are left out, as a shell would, unless the pattern's file
 * name starts with a dot. A directory without {@code format} keeps the files with a known
 * extension; the format is the given one, else the one the files' extensions agree on.
 */
public final class FileSet {
  /** The files and their format. */
  public record Resolved(List<Path> files, FileFormat format) {}

  /**
   * Paths compared as text, except that a run of digits is compared with a run of digits by its
   * number ({@code c9} before {@code c10}; {@code c007} and {@code c7} by value, then the shorter
   * run first). Ties fall back to plain text order, so the order is total and repeatable.
   */
  static final Comparator<Path> NATURAL_ORDER =
      Comparator.<Path, String>comparing(Path::toString, FileSet::compareNatural)
          .thenComparing(Path::toString);

  private FileSet() {}

  static int compareNatural(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char ca = a.charAt(i);
      char cb = b.charAt(j);
      if (isDigit(ca) && isDigit(cb)) {
        int ei = i;
        while (ei < a.length() && isDigit(a.charAt(ei))) ei++;
        int ej = j;
        while (ej < b.length() && isDigit(b.charAt(ej))) ej++;
        int si = i;
        while (si < ei - 1 && a.charAt(si) == '0') si++;
        int sj = j;
        while (sj < ej - 1 && b.charAt(sj) == '0') sj++;
        int c = Integer.compare(ei - si, ej - sj);
        if (c == 0) c = a.substring(si, ei).compareTo(b.substring(sj, ej));
        if (c == 0) c = Integer.compare(ei - i, ej - j);
        if (c != 0) return c;
        i = ei;
        j = ej;
      } else {
        if (ca != cb) return Character.compare(ca, cb);
        i++;
        j++;
      }
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  public static Resolved resolve(String operator, String path, Path baseDir, FileFormat format) {
    String where = "operator=" + operator + " parameter=path";
    boolean glob = isGlob(path);
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
          .sorted(NATURAL_ORDER).collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether a {@code path} parameter is a glob (a pattern of files), not a file or folder. */
  public static boolean isGlob(String path) {
    return path.chars().anyMatch(ch -> ch == '*' || ch == '?' || ch == '[' || ch == '{');
  }

  /**
   * The folder a {@code path} parameter reads below: the path itself, or for a glob its longest
   * directory prefix without glob characters.
   */
  public static Path fixedPart(Path baseDir, String path) {
    Path absolute = baseDir.resolve(path).toAbsolutePath().normalize();
    if (!isGlob(path)) return absolute;
    Path start = absolute.getRoot();
    for (Path segment : absolute) {
      if (isGlob(segment.toString())) break;
      start = start.resolve(segment.toString());
    }
    return start;
  }

  /** The path with symbolic links resolved as far as it exists (a file to be written may not). */
  public static Path realPath(Path path) {
    Path existing = path;
    Path rest = null;
    while (existing != null && !Files.exists(existing)) {
      rest = rest == null ? existing.getFileName() : existing.getFileName().resolve(rest);
      existing = existing.getParent();
    }
    if (existing == null) return path;
    try {
      Path r = existing.toRealPath();
      return rest == null ? r : r.resolve(rest).normalize();
    } catch (IOException e) {
      return path;
    }
  }

  /** Walks from the longest directory prefix without glob characters. */
  private static List<Path> glob(Path baseDir, String pattern) {
    Path absolute = baseDir.resolve(pattern).toAbsolutePath().normalize();
    Path start = fixedPart(baseDir, pattern);
    int depth = absolute.toString().contains("**") ? Integer.MAX_VALUE
        : absolute.getNameCount() - start.getNameCount();
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
    out.sort(NATURAL_ORDER);
    return out;
  }
}
