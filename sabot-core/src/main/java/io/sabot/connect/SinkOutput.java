package io.sabot.connect;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a sink's bytes go: a file it opens (buffered, parent folders created) or a given stream. */
final class SinkOutput {
  private static final int BUFFER = 1 << 16;

  private SinkOutput() {}

  /** Opens {@code target} if it is set, else shields {@code stream} from being closed. */
  static OutputStream open(Path target, OutputStream stream) throws IOException {
    if (target == null) return shielded(stream);
    Path parent = target.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    return new BufferedOutputStream(Files.newOutputStream(target), BUFFER);
  }

  /** A view whose close() only flushes: a sink must not close stdout. */
  static OutputStream shielded(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        out.flush();
      }
    };
  }
}
