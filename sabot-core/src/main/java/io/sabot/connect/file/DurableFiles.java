package io.sabot.connect.file;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** The few file-system steps durable file output is made of. */
final class DurableFiles {
  static final int BUFFER = 1 << 16;

  private DurableFiles() {}

  /** A hidden file beside {@code target}: {@code .out.csv<suffix>}, so a folder source skips it. */
  static Path beside(Path target, String suffix) {
    return target.resolveSibling("." + target.getFileName() + suffix);
  }

  static void createParent(Path target) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
  }

  /**
   * Locks the whole file for this writer; false when another job holds it (another process, or
   * this JVM, where Java reports the overlap as an exception).
   */
  static boolean tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock() != null;
    } catch (java.nio.channels.OverlappingFileLockException e) {
      return false;
    }
  }

  /** A buffered stream into {@code channel} that leaves the channel open when closed. */
  static OutputStream bufferedInto(FileChannel channel) {
    return new BufferedOutputStream(Channels.newOutputStream(new UnclosableChannel(channel)), BUFFER);
  }

  /**
   * Makes a rename or a removal in {@code file}'s folder durable: without it, a crash right after
   * a rename can bring back the old name (POSIX: fsync the directory).
   */
  static void syncFolder(Path file) throws IOException {
    Path folder = file.toAbsolutePath().getParent();
    try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Some file systems refuse to open a folder for reading (not Linux's); the data itself is synced.
      if (!Files.isDirectory(folder)) throw e;
    }
  }

  /** Replaces {@code file}'s content with {@code text}, atomically and durably. */
  static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    syncFolder(file);
  }

  /** A channel view whose close() does nothing, so closing a stream over it keeps the file open. */
  private static final class UnclosableChannel implements java.nio.channels.WritableByteChannel {
    private final FileChannel channel;

    UnclosableChannel(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public int write(java.nio.ByteBuffer src) throws IOException {
      return channel.write(src);
    }

    @Override
    public boolean isOpen() {
      return channel.isOpen();
    }

    @Override
    public void close() {}
  }
}
