package io.sabot.kafka;

import io.sabot.types.Schema;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;

/**
 * The file in which a live reference table keeps its rows between runs: what the table was built
 * from (the identity), the changelog offsets its rows reflect, and the rows themselves as an
 * Arrow IPC stream, all under one CRC32. Written to a temporary file, forced to disk, then renamed
 * over the previous one (and the folder forced), so a crash leaves the old file or the new one,
 * never half of one.
 *
 * <pre>
 *   "SABOTRSN" | int version | identity: topic, partitions, format, key column, declared schema,
 *   stored schema (UTF strings) | long written_at_ms | int n | n x long next offset (partition i)
 *   | int slots | long rows | Arrow IPC stream: the stored columns + slot columns | long CRC32 of
 *   everything before it
 * </pre>
 *
 * A file that does not verify (truncated, bytes changed, another version, another table's, or
 * unreadable) is refused with {@link Refused}, saying why.
 */
final class ReferenceSnapshotFile {
  static final String NAME = "changelog.snapshot";
  static final int VERSION = 1;
  /** The column with the row count of each key's record at its first row (null at the others). */
  static final String SLOT_ROWS = "sabot_slot_rows";
  private static final byte[] MAGIC = "SABOTRSN".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * What a snapshot is of: two snapshots are interchangeable only when all of it is equal.
   *
   * @param keyColumn the {@code key} column, or "" when the table is keyed by the record key
   */
  record Identity(String topic, int partitions, String format, String keyColumn, String declared,
                  String stored) {
    static Identity of(KafkaSourceConfig config, int partitions, Schema declared, Schema stored) {
      return new Identity(config.topic(), partitions, config.format().name().toLowerCase(),
          config.keyColumn() == null ? "" : config.keyColumn(), text(declared), text(stored));
    }

    private static String text(Schema s) {
      return s == null ? "" : s.fields().stream().map(f -> f.name() + ":" + f.type().jobName())
          .collect(Collectors.joining(", "));
    }

    /** How {@code found} differs from this (the job's), or null when it does not. */
    String difference(Identity found) {
      List<String> d = new ArrayList<>();
      if (!topic.equals(found.topic)) d.add("topic=" + found.topic + " (this job reads " + topic + ")");
      if (partitions != found.partitions) {
        d.add("partitions=" + found.partitions + " (the topic has " + partitions + " now)");
      }
      if (!format.equals(found.format)) d.add("format=" + found.format + " (this job reads " + format + ")");
      if (!keyColumn.equals(found.keyColumn)) {
        d.add("key=" + (found.keyColumn.isEmpty() ? "the record key" : found.keyColumn)
            + " (this job keys by " + (keyColumn.isEmpty() ? "the record key" : keyColumn) + ")");
      }
      if (!declared.equals(found.declared)) d.add("schema={" + found.declared + "} (this job declares {" + declared + "})");
      if (!stored.equals(found.stored)) d.add("columns={" + found.stored + "} (this job keeps {" + stored + "})");
      return d.isEmpty() ? null : String.join(", ", d);
    }
  }

  /** A snapshot file that cannot be used, and why. */
  static final class Refused extends Exception {
    Refused(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * A verified snapshot: its rows as batches of the stored columns plus the slot columns, owned
   * by the caller.
   */
  record Loaded(Identity identity, long writtenAtMillis, long[] offsets, int slots, long rows,
                List<VectorSchemaRoot> batches, String notMappedBecause) implements AutoCloseable {
    /** Whether the rows are views of the file's pages (else they were read into memory). */
    boolean mapped() {
      return notMappedBecause == null;
    }

    @Override
    public void close() {
      batches.forEach(VectorSchemaRoot::close);
    }
  }

  /** Writes the batches one at a time into the IPC stream's root (their vectors transferred). */
  interface BatchSource {
    /** Fills {@code root} with the next rows (setting its row count); false when there are no more. */
    boolean next(VectorSchemaRoot root) throws IOException;
  }

  private ReferenceSnapshotFile() {}

  /**
   * Writes {@code dir/NAME} atomically: the header, then the batches {@code source} puts in
   * {@code root} (whose schema is the file's), then the checksum.
   */
  static void write(Path dir, Identity id, long[] offsets, int slots, long rows,
                    VectorSchemaRoot root, BatchSource source) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(NAME + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      java.io.ByteArrayOutputStream header = new java.io.ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(header);
      out.write(MAGIC);
      out.writeInt(VERSION);
      out.writeUTF(id.topic());
      out.writeInt(id.partitions());
      out.writeUTF(id.format());
      out.writeUTF(id.keyColumn());
      out.writeUTF(id.declared());
      out.writeUTF(id.stored());
      out.writeLong(System.currentTimeMillis());
      out.writeInt(offsets.length);
      for (long o : offsets) out.writeLong(o);
      out.writeInt(slots);
      out.writeLong(rows);
      // the checksum is taken of the bytes as they are written, not read back afterwards
      CRC32 crc = new CRC32();
      byte[] head = header.toByteArray();
      crc.update(head);
      writeFully(ch, ByteBuffer.wrap(head));
      // the IPC writer closes its channel at close: it gets one that leaves the file open
      WritableByteChannel unclosed = new WritableByteChannel() {
        @Override
        public int write(ByteBuffer src) throws IOException {
          ByteBuffer written = src.duplicate();
          int n = ch.write(src);
          written.limit(written.position() + Math.max(0, n));
          crc.update(written);
          return n;
        }

        @Override
        public boolean isOpen() {
          return ch.isOpen();
        }

        @Override
        public void close() {}
      };
      try (ArrowStreamWriter ipc = new ArrowStreamWriter(root, null, unclosed)) {
        ipc.start();
        while (source.next(root)) ipc.writeBatch();
        ipc.end();
      }
      ByteBuffer trailer = ByteBuffer.allocate(8).putLong(crc.getValue());
      writeFully(ch, trailer.flip());
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    try {
      Files.move(tmp, dir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING);
    }
    forceFolder(dir);
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) ch.write(b);
  }

  /** So the rename itself survives a crash; where a folder cannot be opened (Windows), skipped. */
  private static void forceFolder(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // the rename is then as durable as the platform makes it
    }
  }

  /**
   * Reads and verifies {@code dir/NAME} against {@code expected} (null: any identity, which the
   * caller checks); null when there is none. The
   * checksum is verified over the whole file before any of it is parsed (Arrow's reader leaks
   * the body of a message whose metadata is corrupt, so a corrupt file is never given to it).
   */
  static Loaded read(Path dir, Identity expected, BufferAllocator allocator)
      throws IOException, Refused {
    return read(dir, expected, allocator, MappedBatches.CHUNK);
  }

  /** As above, the rows mapped {@code chunkBytes} at a time (tests: many mappings). */
  static Loaded read(Path dir, Identity expected, BufferAllocator allocator, long chunkBytes)
      throws IOException, Refused {
    Path file = dir.resolve(NAME);
    // one channel for the checksum and the mappings, so both are of the same file (a rename may
    // replace the path meanwhile); a private mapping needs it writable, nothing is written
    FileChannel opened;
    String notMapped = MappedBatches.SUPPORTED ? null : "a mapped file cannot be replaced here";
    try {
      opened = notMapped == null
          ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)
          : FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) { // a private mapping needs the file writable: read it instead
      notMapped = "it cannot be opened for writing, which mapping it needs (" + e + ")";
      try {
        opened = FileChannel.open(file, StandardOpenOption.READ);
      } catch (NoSuchFileException gone) {
        return null;
      }
    }
    try (FileChannel ch = opened) {
      long size = ch.size();
      if (size < MAGIC.length + 4 + 8) throw new Refused("truncated: " + size + " bytes");
      ByteBuffer trailer = ByteBuffer.allocate(8);
      while (trailer.hasRemaining() && ch.read(trailer, size - 8 + trailer.position()) > 0) {
        // the stored checksum
      }
      long stored = trailer.flip().getLong();
      long body = size - 8;
      CRC32 crc = new CRC32();
      ch.position(0);
      checksumTheRest(ch, crc, body);
      if (crc.getValue() != stored) throw new Refused(MISMATCH);
      ch.position(0);
      // unbuffered, so the channel is just past the header when it is read
      ReadableByteChannel unclosed = new MappedBatches.UnclosedChannel(ch);
      Header h;
      List<VectorSchemaRoot> batches = null;
      try {
        h = Header.read(new DataInputStream(Channels.newInputStream(unclosed)));
        if (h.id() == null) {
          batches = new ArrayList<>();
        } else {
          if (notMapped == null) {
            long start = ch.position();
            try {
              batches = MappedBatches.read(ch, body, chunkBytes, allocator);
            } catch (IOException | UnsupportedOperationException e) { // mmap refused: read it
              notMapped = "it cannot be mapped (" + e + ")";
              ch.position(start);
            }
          }
          if (batches == null) batches = readBatches(unclosed, allocator);
        }
      } catch (EOFException e) {
        throw new Refused("truncated: it ends inside its header");
      } catch (IOException | RuntimeException e) {
        throw new Refused("its rows cannot be read: " + e.getMessage());
      }
      try {
        return h.verified(expected, batches, notMapped);
      } catch (Refused | RuntimeException e) {
        batches.forEach(VectorSchemaRoot::close);
        throw e;
      }
    }
  }

  /** Why a snapshot of another table is refused: {@code difference} as {@link Identity#difference}. */
  static String ofAnotherTable(String difference) {
    return "it is of another table: " + difference;
  }

  private static final String MISMATCH = "checksum mismatch (the file is truncated or corrupted)";

  /** Reads the file from where the channel is to {@code end} into the checksum. */
  private static void checksumTheRest(FileChannel ch, CRC32 crc, long end) throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    long pos = ch.position();
    while (pos < end) {
      buf.clear();
      buf.limit((int) Math.min(buf.capacity(), end - pos));
      int n = ch.read(buf, pos);
      if (n < 0) throw new EOFException("the file ends at " + pos + " of " + end + " bytes");
      pos += n;
      buf.flip();
      crc.update(buf);
    }
    ch.position(end);
  }

  /** The fields before the IPC stream, as read: checked only once the checksum matched. */
  private record Header(byte[] magic, int version, Identity id, long writtenAt, long[] offsets,
                        int slots, long rows) {
    static Header read(DataInputStream d) throws IOException {
      byte[] magic = d.readNBytes(MAGIC.length);
      if (!java.util.Arrays.equals(magic, MAGIC)) return new Header(magic, 0, null, 0, null, 0, 0);
      int version = d.readInt();
      if (version != VERSION) return new Header(magic, version, null, 0, null, 0, 0);
      Identity id = new Identity(d.readUTF(), d.readInt(), d.readUTF(), d.readUTF(), d.readUTF(),
          d.readUTF());
      long writtenAt = d.readLong();
      int n = d.readInt();
      if (n < 0 || n > (1 << 20)) throw new IOException(n + " offsets");
      long[] offsets = new long[n];
      for (int i = 0; i < n; i++) offsets[i] = d.readLong();
      return new Header(magic, version, id, writtenAt, offsets, d.readInt(), d.readLong());
    }

    Loaded verified(Identity expected, List<VectorSchemaRoot> batches, String notMappedBecause)
        throws Refused {
      if (!java.util.Arrays.equals(magic, MAGIC)) throw new Refused("not a Sabot snapshot file");
      if (version != VERSION) {
        throw new Refused("format version " + version + " (this Sabot reads version " + VERSION + ")");
      }
      String difference = expected == null ? null : expected.difference(id);
      if (difference != null) throw new Refused(ofAnotherTable(difference));
      if (offsets.length != id.partitions()) {
        throw new Refused(offsets.length + " offsets for " + id.partitions() + " partitions");
      }
      long read = 0;
      int firstRows = 0;
      for (VectorSchemaRoot b : batches) {
        read += b.getRowCount();
        FieldVector counts = b.getVector(SLOT_ROWS);
        firstRows += b.getRowCount() - counts.getNullCount();
      }
      if (read != rows) throw new Refused("it holds " + read + " rows where its header says " + rows);
      if (firstRows != slots) {
        throw new Refused("it holds " + firstRows + " keys where its header says " + slots);
      }
      return new Loaded(id, writtenAt, offsets, slots, rows, batches, notMappedBecause);
    }
  }

  /** The IPC stream's batches (a version other than this one's has none: its header says so). */
  private static List<VectorSchemaRoot> readBatches(ReadableByteChannel in, BufferAllocator allocator)
      throws IOException {
    List<VectorSchemaRoot> batches = new ArrayList<>();
    try (ArrowStreamReader ipc = new ArrowStreamReader(in, allocator)) {
      VectorSchemaRoot root = ipc.getVectorSchemaRoot();
      while (ipc.loadNextBatch()) batches.add(MappedBatches.takeAll(root, allocator));
    } catch (IOException | RuntimeException e) {
      batches.forEach(VectorSchemaRoot::close);
      throw e;
    }
    return batches;
  }

  /** Deletes the snapshot (one that was refused), so the next one is written in its place. */
  static void delete(Path dir) throws IOException {
    Files.deleteIfExists(dir.resolve(NAME));
  }
}
