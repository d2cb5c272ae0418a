package io.sabot.connect.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * About how many records some line-based files (CSV, JSON lines) hold, without reading them: each
 * file's size divided by the average line length of its first 64 KiB, less a header line. For
 * the optimizer's join order only; never used where a count must be exact.
 */
public final class LineEstimate {
  private static final int SAMPLE_BYTES = 64 * 1024;

  private LineEstimate() {}

  /** The estimate summed over {@code files}; empty when a file cannot be read. */
  public static OptionalLong of(List<Path> files) {
    long total = 0;
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        byte[] sample = in.readNBytes(SAMPLE_BYTES);
        long lines = 0;
        for (byte b : sample) if (b == '\n') lines++;
        total += lines == 0 ? (sample.length == 0 ? 0 : 1)
            : Math.max(1, Files.size(file) * lines / sample.length - 1);
      } catch (IOException e) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(total);
  }
}
