package io.sabot.connect.arrow;

import io.sabot.connect.Source;
import io.sabot.connect.SourcePartition;
import io.sabot.connect.file.FilePartition;
import io.sabot.error.InvalidJobException;
import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.MessageSerializer;

/**
 * Arrow IPC stream files ({@code format: arrow}) as a source, one partition per file. The schema
 * comes from the files (every file must have the same one); columns of a type Sabot cannot hold
 * are a plan error naming the operator and the column ({@link ArrowColumns} lists the widenings).
 * Arrow is already columnar, so reading is a transfer of buffers, not a decode (except for
 * dictionary-encoded strings, which become plain strings).
 */
public final class ArrowIpcSource implements Source {
  private final List<Path> files;
  private final Schema schema;

  /** Reads each file's schema message now (no data), so the schema is known at plan time. */
  public ArrowIpcSource(String operator, List<Path> files) {
    if (files.isEmpty()) throw new IllegalArgumentException("no files");
    this.files = List.copyOf(files);
    Schema first = null;
    List<String> problems = new ArrayList<>();
    for (Path file : files) {
      String where = "operator=" + operator + " parameter=path file=" + file;
      org.apache.arrow.vector.types.pojo.Schema arrow;
      try {
        arrow = readSchema(file);
      } catch (IOException | RuntimeException e) {
        problems.add(where + " is not an Arrow IPC stream: " + e.getMessage());
        continue;
      }
      List<Field> fields = new ArrayList<>();
      for (org.apache.arrow.vector.types.pojo.Field f : arrow.getFields()) {
        ColumnType type = ArrowColumns.typeOf(f);
        if (type == null) {
          problems.add(where + " " + ArrowColumns.unsupported(f));
        } else {
          fields.add(new Field(f.getName(), type));
        }
      }
      Schema s;
      try {
        s = new Schema(fields);
      } catch (IllegalArgumentException e) {
        problems.add(where + " has a " + e.getMessage());
        continue;
      }
      if (first == null) {
        first = s;
      } else if (!first.equals(s)) {
        problems.add(where + " has schema " + s + " but the first file has " + first
            + "; all files of a source need the same schema");
      }
    }
    if (!problems.isEmpty()) throw new InvalidJobException(problems);
    this.schema = first;
  }

  private static org.apache.arrow.vector.types.pojo.Schema readSchema(Path file) throws IOException {
    checkFirstMessageLength(file);
    try (InputStream in = Files.newInputStream(file)) {
      return MessageSerializer.deserializeSchema(new ReadChannel(Channels.newChannel(in)));
    }
  }

  /**
   * An Arrow stream opens with its schema message's length (after the 0xFFFFFFFF continuation
   * marker, or alone in the old format). Arrow would allocate a buffer of whatever length it
   * reads, so a file of something else (a CSV's "id,n" reads as 1.8 GB) is refused here, before
   * it exhausts the heap.
   */
  private static void checkFirstMessageLength(Path file) throws IOException {
    byte[] head = new byte[8];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, 8);
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(head).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    long length = n < 4 ? -1 : b.getInt(0) == -1 ? (n < 8 ? -1 : b.getInt(4)) : b.getInt(0);
    if (length <= 0 || length > Files.size(file)) {
      throw new IOException("its first message length (" + length + ") does not fit the file ("
          + Files.size(file) + " bytes)");
    }
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public List<SourcePartition> partitions() {
    List<SourcePartition> out = new ArrayList<>(files.size());
    for (Path file : files) {
      out.add(new FilePartition(file, (f, description, context) -> ArrowIpcBatchReader.open(f, context)));
    }
    return out;
  }
}
