package io.sabot.connect.memory;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ReadContext;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.ForeignAllocation;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;

/**
 * Hands the batches of a {@link MemoryTables} table to a job without copying their values.
 *
 * <p>Arrow shares a buffer between allocators (TransferPair, retain) only within one root
 * allocator, and every job runs in its own root. So each buffer of a registered batch is wrapped
 * as a foreign allocation of the job's allocator: the job's vectors point at the registered memory,
 * the job's allocator counts those bytes (its limit and peak see them), and releasing the job's
 * buffer releases one reference on the registered one.
 *
 * <pre>
 *   registered vector (registry's allocator)      job vector (job's allocator)
 *   validity │ offsets │ data ◄──── same addresses ──── offsets │ data   (+1 ref each)
 *                                                        validity: rebuilt by Arrow's loader when
 *                                                        a column has no nulls (n/8 bytes)
 * </pre>
 *
 * Each wrapped buffer is exactly as long as the bytes the batch uses, so any operator that grows a
 * vector it was handed (appending reference batches, for one) reallocates instead of writing into
 * the registered memory. A registered batch larger than the job's batch size is cut with
 * {@link VectorSchemaRoot#slice}, which shares the value buffers too. Only the projected columns
 * are wrapped.
 */
final class MemoryBatchReader implements BatchReader {
  private final MemoryTables.Table table;
  private final ReadContext context;
  private final int[] columns;
  private int nextBatch;
  private VectorSchemaRoot current;
  private int offset;
  private boolean holding;

  MemoryBatchReader(MemoryTables.Table table, ReadContext context) {
    this.table = table;
    this.context = context;
    Schema wanted = context.columns();
    this.columns = new int[wanted.size()];
    for (int i = 0; i < columns.length; i++) {
      Field f = wanted.field(i);
      int c = table.schema.indexOf(f.name());
      if (c < 0 || !table.schema.field(c).equals(f)) {
        throw new IllegalArgumentException("memory table name=" + table.name + " has no column "
            + f + "; it has " + table.schema);
      }
      columns[i] = c;
    }
    if (!table.acquire()) {
      throw new IllegalStateException("memory table name=" + table.name
          + " was unregistered after the job was planned");
    }
    holding = true;
  }

  @Override
  public VectorSchemaRoot next() {
    while (current == null) {
      if (nextBatch == table.batches.size()) return null;
      int b = nextBatch++;
      if (table.batches.get(b).getRowCount() > 0) {
        current = wrap(b);
        offset = 0;
      }
    }
    int rows = current.getRowCount();
    if (offset == 0 && rows <= context.batchSize()) {
      VectorSchemaRoot whole = current;
      current = null;
      return whole;
    }
    int n = Math.min(context.batchSize(), rows - offset);
    VectorSchemaRoot slice = current.slice(offset, n);
    offset += n;
    if (offset == rows) {
      current.close();
      current = null;
    }
    return slice;
  }

  private VectorSchemaRoot wrap(int b) {
    VectorSchemaRoot source = table.batches.get(b);
    int n = source.getRowCount();
    BufferAllocator allocator = context.allocator();
    List<FieldVector> vectors = new ArrayList<>(columns.length);
    try {
      for (int c : columns) {
        Field f = table.schema.field(c);
        FieldVector src = source.getVector(c);
        FieldVector dst = f.type().newVector(f.name(), allocator);
        vectors.add(dst);
        List<ArrowBuf> shared = new ArrayList<>(3);
        try {
          List<ArrowBuf> buffers = src.getFieldBuffers();
          long[] used = usedBytes(src, n);
          for (int i = 0; i < buffers.size(); i++) shared.add(share(buffers.get(i), used[i], allocator));
          dst.loadFieldBuffers(new ArrowFieldNode(n, table.nullCounts[b][c]), shared);
        } finally {
          for (ArrowBuf s : shared) s.getReferenceManager().release(); // dst holds its own references
        }
      }
    } catch (RuntimeException | Error e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    VectorSchemaRoot root = new VectorSchemaRoot(vectors);
    root.setRowCount(n);
    return root;
  }

  /** Bytes of each buffer (validity, [offsets,] data) that {@code n} values use. */
  private static long[] usedBytes(FieldVector v, int n) {
    long bits = BitVectorHelper.getValidityBufferSize(n);
    if (v instanceof BaseVariableWidthVector) {
      long dataEnd = ((BaseVariableWidthVector) v).getOffsetBuffer()
          .getInt((long) n * BaseVariableWidthVector.OFFSET_WIDTH);
      return new long[] {bits, (long) (n + 1) * BaseVariableWidthVector.OFFSET_WIDTH, dataEnd};
    }
    if (v instanceof BitVector) return new long[] {bits, bits};
    return new long[] {bits, (long) n * ((BaseFixedWidthVector) v).getTypeWidth()};
  }

  /** A buffer of {@code allocator} over the first {@code bytes} of {@code original}'s memory. */
  private static ArrowBuf share(ArrowBuf original, long bytes, BufferAllocator allocator) {
    if (bytes == 0) {
      ArrowBuf empty = allocator.getEmpty();
      empty.getReferenceManager().retain();
      return empty;
    }
    if (bytes > original.capacity()) {
      throw new IllegalStateException("a registered buffer holds " + original.capacity()
          + " bytes, its batch uses " + bytes);
    }
    ArrowBuf view = allocator.wrapForeignAllocation(new SharedRegion(original, bytes));
    original.getReferenceManager().retain();
    return view;
  }

  /** The registered memory, seen from a job's allocator; releases its reference when freed. */
  private static final class SharedRegion extends ForeignAllocation {
    private final ArrowBuf original;

    SharedRegion(ArrowBuf original, long bytes) {
      super(bytes, original.memoryAddress());
      this.original = original;
    }

    @Override
    protected void release0() {
      original.getReferenceManager().release();
    }
  }

  @Override
  public void close() {
    if (current != null) {
      current.close();
      current = null;
    }
    if (holding) {
      holding = false;
      table.release();
    }
  }
}
