package io.sabot.connect.file;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * {@code mode: overwrite} and {@code fail_if_exists}: the output is written to
 * {@code .NAME.sabot-partial} beside the target and renamed over it once the input has ended and
 * the data is synced. Until then the target keeps what it held (a rerun that fails or is stopped
 * destroys nothing), and no reader ever sees a file cut in the middle of a row under the target's
 * name. The rename is atomic within the folder; the folder is synced after it.
 */
final class ReplacingFileOutput implements SinkOutput {
  static final String PARTIAL = ".sabot-partial";
  private final Path target;
  private final Path partial;
  private final boolean failIfExists;
  private FileChannel channel;
  private OutputStream out;

  ReplacingFileOutput(Path target, boolean failIfExists) {
    this.target = target;
    this.partial = DurableFiles.beside(target, PARTIAL);
    this.failIfExists = failIfExists;
  }

  @Override
  public OutputStream open(byte[] trailer) throws IOException {
    if (failIfExists && Files.exists(target)) throw exists();
    DurableFiles.createParent(target);
    channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    if (!DurableFiles.tryLock(channel)) {
      channel.close();
      channel = null;
      throw new IOException("file=" + target + " is being written by another job (it holds "
          + partial + ")");
    }
    channel.truncate(0); // what a run that died left behind
    out = DurableFiles.bufferedInto(channel);
    return out;
  }

  @Override
  public boolean sync() throws IOException {
    out.flush();
    channel.force(false);
    return false; // durable, but not under the target's name until published
  }

  @Override
  public void publish() throws IOException {
    sync();
    // Renamed while still open and locked: another job on the same target cannot take the
    // partial file (and truncate it) between our close and our rename. If the rename fails, the
    // channel is still open and abandon() removes the partial file.
    try {
      if (failIfExists) {
        // link(2) is atomic and never replaces: a file created meanwhile makes it fail
        Files.createLink(target, partial);
        Files.delete(partial);
      } else {
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (FileAlreadyExistsException e) {
      throw exists();
    } catch (UnsupportedOperationException e) { // a file system without hard links
      Files.move(partial, target); // checks, then renames: a tiny window, not atomic
    }
    channel.close();
    channel = null;
    DurableFiles.syncFolder(target);
  }

  @Override
  public void abandon(byte[] trailer) throws IOException {
    if (channel == null) return; // never opened, or locked by another job: not ours to delete
    try {
      channel.close();
    } finally {
      channel = null;
      Files.deleteIfExists(partial);
    }
  }

  private IOException exists() {
    return new IOException("file=" + target + " exists and the sink has mode: fail_if_exists; "
        + "remove it, or set mode: overwrite or append");
  }
}
