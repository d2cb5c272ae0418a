package io.sabot.connect.builtin;

import io.sabot.connect.file.FileFormat;
import io.sabot.graph.OperatorParameters;

/** Reads a file connector's {@code format}. */
final class FileFormats {
  private FileFormats() {}

  /** The {@code format} parameter, or null when absent or bad; {@code also} adds to the accepted list. */
  static FileFormat parse(OperatorParameters p, String also) {
    String f = p.text("format");
    if (f == null) return null;
    FileFormat parsed = FileFormat.parse(f);
    if (parsed == null) {
      p.problem("format", "value=" + f + " is not supported; use " + FileFormat.ACCEPTED + also);
    }
    return parsed;
  }
}
