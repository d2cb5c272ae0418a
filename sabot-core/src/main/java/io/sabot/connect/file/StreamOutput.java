package io.sabot.connect.file;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stream: stdout (flushed, never closed), or a path that is not a regular file (/dev/null, a
 * named pipe), written straight through. Rows are as durable as they get once flushed.
 */
final class StreamOutput implements SinkOutput {
  private static final int BUFFER = 1 << 16;
  private final Path device;
  private final OutputStream given;
  private OutputStream out;

  private StreamOutput(Path device, OutputStream given) {
    this.device = device;
    this.given = given;
  }

  static StreamOutput device(Path path) {
    return new StreamOutput(path, null);
  }

  static StreamOutput shielding(OutputStream stream) {
    return new StreamOutput(null, stream);
  }

  @Override
  public OutputStream open(byte[] trailer) throws IOException {
    out = device == null ? given : new BufferedOutputStream(Files.newOutputStream(device), BUFFER);
    return shielded(out);
  }

  @Override
  public boolean sync() throws IOException {
    out.flush();
    return true;
  }

  @Override
  public void publish() throws IOException {
    release();
  }

  @Override
  public void abandon(byte[] trailer) throws IOException {
    out.write(trailer);
    release();
  }

  private void release() throws IOException {
    if (out == null) return;
    try {
      out.flush();
    } finally {
      if (device != null) out.close();
      out = null;
    }
  }

  /** A view whose close() only flushes: encoders close their streams, the output owns this one. */
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
