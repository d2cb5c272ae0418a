package io.sabot.connect.file;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ReadContext;
import io.sabot.connect.SourcePartition;
import java.io.IOException;
import java.nio.file.Path;

/** One file of a file source; what it opens depends on the format. */
public final class FilePartition implements SourcePartition {
  /** Opens a reader for one file. */
  public interface Opener {
    BatchReader open(Path file, String description, ReadContext context) throws IOException;
  }

  private final Path file;
  private final Opener opener;

  public FilePartition(Path file, Opener opener) {
    this.file = file;
    this.opener = opener;
  }

  Path file() {
    return file;
  }

  @Override
  public String description() {
    return file.getFileName().toString();
  }

  @Override
  public BatchReader open(ReadContext context) throws IOException {
    return opener.open(file, description(), context);
  }

  @Override
  public String toString() {
    return file.toString();
  }
}
