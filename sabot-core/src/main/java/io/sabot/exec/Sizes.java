package io.sabot.exec;

/** Byte counts as people read them: {@code 512 B}, {@code 3.1 GiB}. */
final class Sizes {
  private Sizes() {}

  static String human(long bytes) {
    if (bytes < 1024) return bytes + " B";
    String units = "KMGTPE";
    int u = -1;
    double v = bytes;
    while (v >= 1024 && u < units.length() - 1) {
      v /= 1024;
      u++;
    }
    return String.format("%.1f %siB", v, units.charAt(u));
  }
}
