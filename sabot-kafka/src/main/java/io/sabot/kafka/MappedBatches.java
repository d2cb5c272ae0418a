package io.sabot.kafka;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.ForeignAllocation;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageMetadataResult;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The record batches of an Arrow IPC stream in a file, their buffers mapped from the file's pages
 * instead of read into new memory: a restore of a large snapshot then copies nothing, and its
 * rows take no memory beyond the page cache the file is in already (on this project's VM a first
 * write to a fresh page costs about 16 us, so reading 770 MB into new memory took about 4 s).
 *
 * <pre>
 *   file:  ... | schema message | metadata | body | metadata | body | ... | end of stream | ...
 *   each body ─► a slice of a private (copy-on-write) mapping of up to {@value #CHUNK} bytes,
 *                wrapped as an ArrowBuf (BufferAllocator.wrapForeignAllocation): the vectors
 *                loaded from it share it, and the mapping is unmapped once the last is closed
 * </pre>
 *
 * Only for a file whose checksum was verified first (a mapped file that shrinks under the reader
 * faults the JVM; a snapshot file is only ever replaced by a rename, never rewritten in place).
 */
final class MappedBatches {
  /** The most bytes one mapping covers (bodies are never split between two). */
  static final long CHUNK = 256L << 20;
  /**
   * Not on Windows: there a file with a mapped section cannot be replaced, so every later
   * snapshot's rename would fail while the restored rows live.
   */
  static final boolean SUPPORTED = !System.getProperty("os.name", "").startsWith("Windows");

  private final FileChannel file;
  private final long end;
  private final long chunkBytes;
  private final BufferAllocator allocator;
  private ArrowBuf chunk;
  private long chunkStart;
  private long chunkEnd;

  private MappedBatches(FileChannel file, long end, long chunkBytes, BufferAllocator allocator) {
    this.file = file;
    this.chunkBytes = chunkBytes;
    this.end = end;
    this.allocator = allocator;
  }

  /**
   * The batches of the IPC stream that starts at {@code file}'s position and ends before
   * {@code end}, each owned by the caller, in mappings of up to {@code chunkBytes}. The channel
   * must be open for reading and writing (a private mapping needs it), though nothing is ever
   * written through the mappings; they outlive the channel.
   */
  static List<VectorSchemaRoot> read(FileChannel file, long end, long chunkBytes,
                                     BufferAllocator allocator) throws IOException {
    return new MappedBatches(file, end, chunkBytes, allocator).readAll();
  }

  private List<VectorSchemaRoot> readAll() throws IOException {
    List<VectorSchemaRoot> batches = new ArrayList<>();
    ReadChannel in = new ReadChannel(new UnclosedChannel(file));
    try {
      Schema schema = MessageSerializer.deserializeSchema(in);
      try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
        VectorLoader loader = new VectorLoader(root);
        MessageMetadataResult message;
        while ((message = MessageSerializer.readMessage(in)) != null) {
          if (message.headerType() != MessageHeader.RecordBatch) {
            throw new IOException("an IPC message of type " + message.headerType()
                + " where record batches were expected");
          }
          ArrowBuf body = body(message.getMessageBodyLength());
          try (ArrowRecordBatch batch = MessageSerializer.deserializeRecordBatch(message, body)) {
            loader.load(batch);
          }
          batches.add(takeAll(root, allocator));
        }
      }
      return batches;
    } catch (IOException | RuntimeException | Error e) {
      batches.forEach(VectorSchemaRoot::close);
      throw e;
    } finally {
      if (chunk != null) chunk.close(); // the vectors loaded from it keep it as long as they live
    }
  }

  /**
   * The next {@code length} bytes of the file, as a view of its mapped pages holding a reference
   * of its own; skipped by the channel.
   */
  private ArrowBuf body(long length) throws IOException {
    long at = file.position();
    if (length == 0) return allocator.getEmpty();
    if (at + length > end) {
      throw new IOException("a record batch body of " + length + " bytes at " + at
          + " runs past the stream's end at " + end);
    }
    if (chunk == null || at < chunkStart || at + length > chunkEnd) {
      if (chunk != null) chunk.close();
      chunk = null;
      long size = Math.min(end - at, Math.max(length, chunkBytes));
      if (size > Integer.MAX_VALUE) throw new IOException("a record batch body of " + length + " bytes");
      MappedByteBuffer mapped = file.map(FileChannel.MapMode.PRIVATE, at, size);
      try {
        chunk = allocator.wrapForeignAllocation(new Mapping(mapped));
      } catch (RuntimeException | Error e) { // over the job's memory limit: unmap it now
        Unmapper.unmap(mapped);
        throw e;
      }
      chunkStart = at;
      chunkEnd = at + size;
    }
    file.position(at + length);
    // a reference of its own: deserializeRecordBatch releases the body once it has sliced it
    chunk.getReferenceManager().retain();
    return chunk.slice(at - chunkStart, length);
  }

  /** The root's vectors moved into a batch of their own (the root is loaded again next). */
  static VectorSchemaRoot takeAll(VectorSchemaRoot root, BufferAllocator allocator) {
    List<FieldVector> taken = new ArrayList<>();
    for (FieldVector v : root.getFieldVectors()) {
      var t = v.getTransferPair(allocator);
      t.transfer();
      taken.add((FieldVector) t.getTo());
    }
    VectorSchemaRoot b = new VectorSchemaRoot(taken);
    b.setRowCount(root.getRowCount());
    return b;
  }

  /** One mapping as Arrow memory: unmapped when Arrow releases it. */
  private static final class Mapping extends ForeignAllocation {
    private MappedByteBuffer mapped;

    Mapping(MappedByteBuffer mapped) {
      super(mapped.capacity(), MemoryUtil.getByteBufferAddress(mapped));
      this.mapped = mapped;
    }

    @Override
    protected void release0() {
      MappedByteBuffer m = mapped;
      mapped = null;
      Unmapper.unmap(m);
    }
  }

  /**
   * Unmaps a mapping now (sun.misc.Unsafe.invokeCleaner) rather than when the collector finds its
   * buffer unreachable; when that is not available, the collector does it.
   */
  private static final class Unmapper {
    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
      Object unsafe = null;
      Method clean = null;
      try {
        Class<?> c = Class.forName("sun.misc.Unsafe");
        var f = c.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        unsafe = f.get(null);
        clean = c.getMethod("invokeCleaner", ByteBuffer.class);
      } catch (ReflectiveOperationException | RuntimeException e) {
        unsafe = null;
        clean = null;
      }
      UNSAFE = unsafe;
      INVOKE_CLEANER = clean;
    }

    static void unmap(MappedByteBuffer m) {
      if (m == null || INVOKE_CLEANER == null) return;
      try {
        INVOKE_CLEANER.invoke(UNSAFE, m);
      } catch (ReflectiveOperationException | RuntimeException e) {
        // left to the collector
      }
    }
  }

  /** The file as a channel that a reader may close without closing the file (reads unbuffered). */
  static final class UnclosedChannel implements java.nio.channels.ReadableByteChannel {
    private final FileChannel file;

    UnclosedChannel(FileChannel file) {
      this.file = file;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return file.read(dst);
    }

    @Override
    public boolean isOpen() {
      return file.isOpen();
    }

    @Override
    public void close() {}
  }
}
