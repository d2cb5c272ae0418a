package io.sabot.connect.file;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * {@code mode: append}: rows go to the end of the target. Each {@link #sync} fsyncs the file and
 * then notes its durable length in {@code .NAME.sabot-append} (replaced atomically); rows count as
 * written only after that. A run that dies (SIGKILL, power loss) can leave bytes past the noted
 * length, possibly half a row: the next run cuts the file back to it before appending, so the
 * file only ever grows by whole, acknowledged rows. Those cut rows were never reported written,
 * so their source positions were never committed and the next run reads them again. The note is
 * removed when a run ends cleanly.
 *
 * <p>Exactly-once ({@code delivery: exactly_once}): the note also holds the source position just
 * past the durable rows, written in the same atomic replace as the length, and is kept when the
 * run ends. The next run cuts the file to the length and starts reading at that position, so a
 * row is neither lost nor written twice, whatever the source had managed to commit.
 * <pre>
 *   .out.csv.sabot-append:   1048576                      durable length of out.csv
 *                            {"topic":"q","offsets":...}  source position after those rows
 * </pre>
 *
 * <pre>
 *   out.csv:  header, rows of earlier runs │ rows synced this run │ bytes not yet synced
 *                                          ▲                      ▲
 *                               length at open          .out.csv.sabot-append (durable)
 * </pre>
 */
final class AppendingFileOutput implements SinkOutput {
  static final String MARK = ".sabot-append";
  private final Path target;
  private final Path mark;
  private final boolean keepsPosition;
  private String position;
  private String resumePosition;
  private FileChannel channel;
  private OutputStream out;
  private byte[] trailer = new byte[0];
  private long durable; // where the durable rows end (a trailer after them not counted)
  private boolean continuing;
  private boolean created;

  AppendingFileOutput(Path target, boolean keepsPosition) {
    this.target = target;
    this.mark = DurableFiles.beside(target, MARK);
    this.keepsPosition = keepsPosition;
  }

  @Override
  public OutputStream open(byte[] trailer) throws IOException {
    DurableFiles.createParent(target);
    created = !Files.exists(target);
    channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    if (!DurableFiles.tryLock(channel)) {
      channel.close();
      channel = null;
      throw new IOException("file=" + target + " is being appended to by another job");
    }
    try {
      this.trailer = trailer;
      long size = channel.size();
      // The trailer of a complete file (Arrow's end-of-stream) is overwritten by the new rows and
      // written again at the end; the file is not cut here, so a run that writes nothing changes nothing.
      // A note holds where the rows end, never counting a trailer (which may follow it): its bytes
      // before that length are rows, even when they happen to look like a trailer.
      if (Files.exists(mark)) {
        size = recoveredLength(size);
      } else if (trailer.length > 0 && endsWith(size, trailer)) {
        size -= trailer.length;
      }
      durable = size;
      continuing = size > 0;
      position = resumePosition;
      writeMark();
      channel.position(durable);
      out = DurableFiles.bufferedInto(channel);
      // A text file (csv, jsonl: no trailer) that does not end its last line, as an editor may
      // leave it: end it first, or the first appended row would be glued onto that line.
      if (trailer.length == 0 && durable > 0 && !endsLine(durable)) out.write('\n');
      return out;
    } catch (IOException | RuntimeException e) {
      releaseAfterFailedOpen(e);
      throw e;
    }
  }

  /**
   * Open failed before any row was written: release the file, and remove it when this run
   * created it, but leave the note as it was (it may be what refused the file, and the user is
   * told to check it).
   */
  private void releaseAfterFailedOpen(Exception failure) {
    try {
      channel.close();
      if (created) Files.deleteIfExists(target);
    } catch (IOException e) {
      failure.addSuppressed(e);
    } finally {
      channel = null;
    }
  }

  /** The length the last run noted as durable; the bytes past it were never acknowledged. */
  private long recoveredLength(long size) throws IOException {
    String[] lines = Files.readString(mark, StandardCharsets.UTF_8).split("\n", 2);
    String text = lines[0].trim();
    if (keepsPosition && lines.length > 1 && !lines[1].isBlank()) resumePosition = lines[1].trim();
    long noted;
    try {
      noted = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IOException("file=" + mark + " should hold the durable length of " + target
          + " but holds '" + text + "'; remove it only if " + target + " is known to be whole");
    }
    if (noted > size) {
      throw new IOException("file=" + target + " has " + size + " bytes, fewer than the " + noted
          + " an earlier run made durable (noted in " + mark + "): it was changed outside Sabot; if that "
          + "was meant, remove " + mark + " too");
    }
    return noted;
  }

  private boolean endsLine(long size) throws IOException {
    ByteBuffer last = ByteBuffer.allocate(1);
    channel.read(last, size - 1);
    return last.get(0) == '\n' || last.get(0) == '\r';
  }

  private boolean endsWith(long size, byte[] trailer) throws IOException {
    if (size < trailer.length) return false;
    ByteBuffer tail = ByteBuffer.allocate(trailer.length);
    channel.read(tail, size - trailer.length);
    return Arrays.equals(tail.array(), trailer);
  }

  @Override
  public Path continuing() {
    return continuing ? target : null;
  }

  @Override
  public String resumePosition() {
    return resumePosition;
  }

  @Override
  public void position(String encoded) {
    if (keepsPosition) position = encoded;
  }

  /** Replaces the note: the durable length, and (exactly-once) the position after those rows. */
  private void writeMark() throws IOException {
    String note = Long.toString(durable);
    if (keepsPosition && position != null) note += "\n" + position;
    DurableFiles.writeAtomically(mark, note + "\n");
  }

  @Override
  public boolean sync() throws IOException {
    out.flush();
    long end = channel.position();
    if (end == durable) return true;
    channel.force(false);
    durable = end;
    writeMark();
    return true;
  }

  /** The trailer has just been written after the rows: the note keeps where the rows end. */
  @Override
  public void publish() throws IOException {
    out.flush();
    long rowsEnd = channel.position() - trailer.length;
    channel.force(false);
    if (rowsEnd != durable || keepsPosition) { // exactly-once: the position after the last batch too
      durable = rowsEnd;
      writeMark();
    }
    closeAndForget();
  }

  @Override
  public void abandon(byte[] trailer) throws IOException {
    if (channel == null) return;
    try {
      try {
        out.flush();
      } catch (IOException ignored) {
        // whatever it held is cut off below
      }
      channel.truncate(durable);
      channel.write(ByteBuffer.wrap(trailer), durable);
      channel.force(false);
    } finally {
      closeAndForget();
    }
    // nothing became durable in a file this run created: no (empty) file under the final name
    if (created && durable == 0) {
      Files.deleteIfExists(target);
      Files.deleteIfExists(mark);
    }
  }

  /**
   * Closes the file and removes the note: the file is whole again. Exactly-once keeps the note,
   * for its position (the length it holds then is the file's, or less by the trailer).
   */
  private void closeAndForget() throws IOException {
    try {
      channel.close(); // releases the lock too
    } finally {
      channel = null;
      if (!keepsPosition) {
        Files.deleteIfExists(mark);
        DurableFiles.syncFolder(target);
      }
    }
  }
}
