package io.sabot.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * docs/workload.md's query as a hand-written columnar loop: the work the engine does, without an
 * engine. The generated Arrow batches are copied into plain arrays before anything is timed
 * (quotes: {@code long[] id, double[] price, long[] size, long[] ts}; securities: {@code long[] ID}
 * and CUSIP, NAME, SECTOR each as one {@code byte[]} of UTF-8 bytes plus {@code int[]} offsets).
 *
 * <pre>
 *   build (timed apart)   ID ─► open-addressing table: long keys, int row values, linear probing,
 *                         power-of-two capacity (at least 2 x R), Long.MIN_VALUE marks an empty slot
 *   stream (the rate)     quotes in chunks of 4,096 rows; a fixed pool of T threads takes chunks from
 *                         an AtomicInteger; per chunk:
 *                           filter price > 100 ─► int[] selection (branch-free)
 *                           probe each selected row ─► reference row or -1
 *                           then, by shape:
 *     PROBE      count matched rows (left join: every selected row)          ~ --sink discard
 *     ARRAY      gather the 7 output columns into arrays holding the whole     ~ --sink batches,
 *                result (4 quote columns as long[]/double[], each string          devnull
 *                column as byte[] data + int[] offsets, bytes copied)
 *     STREAMING  gather the same 7 columns into 4,096-row buffers per thread,  ~ --sink batches,
 *                reused chunk after chunk (string bytes into a growable byte[])   devnull
 * </pre>
 *
 * <p>Each run builds its table and returns its output rows, which must equal the engine's. No
 * allocation happens per row: each thread's selection, match and streaming buffers are made once,
 * and so are the ARRAY shape's output arrays, sized exactly for the result by an untimed counting
 * pass when the baseline is made (so a run times filter, probe, gather and copy, not zeroing
 * fresh memory). ARRAY reserves its rows and string bytes per chunk under one lock, so the result
 * holds whole chunks in the order threads finished them, not in input order; the offsets stay
 * ascending. Left join: an unmatched row gets validity 0 and zero-length strings (inner join
 * writes no validity: every row is valid).
 */
final class ColumnarLoopBaseline implements AutoCloseable {
  /** Quotes per chunk handed to a thread, and rows per streaming output buffer. */
  static final int CHUNK = 4096;
  private static final int CUSIP = 0;
  private static final int NAME = 1;
  private static final int SECTOR = 2;
  private static final String[] STRING_COLUMNS = {"CUSIP", "NAME", "SECTOR"};

  /** The output work of a run. */
  enum Shape {
    PROBE("loop probe", "filter+probe only, matched rows counted"),
    ARRAY("loop array", "7 columns gathered into arrays sized for the whole result"),
    STREAMING("loop stream", "7 columns gathered into reused 4,096-row buffers per thread");

    private final String label;
    private final String description;

    Shape(String label, String description) {
      this.label = label;
      this.description = description;
    }

    /** The start of its report lines. */
    String label() {
      return label;
    }

    String description() {
      return description;
    }
  }

  /** The shapes that do the output work of {@code sink}. */
  static List<Shape> shapesFor(BenchOptions.Output sink) {
    return sink == BenchOptions.Output.DISCARD ? List.of(Shape.PROBE)
        : List.of(Shape.ARRAY, Shape.STREAMING);
  }

  /** One string column: row {@code r}'s UTF-8 bytes are {@code data[offsets[r] .. offsets[r + 1])}. */
  record Strings(byte[] data, int[] offsets) {
    int length(int row) {
      return offsets[row + 1] - offsets[row];
    }

    String get(int row) {
      return new String(data, offsets[row], length(row), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /**
   * The ARRAY shape's result after a run: {@code rows} rows; {@code valid} (left join only, else
   * null) is 1 where the quote matched a security.
   */
  record ArrayResult(int rows, long[] instrumentId, double[] price, long[] size, long[] ts,
                     Strings cusip, Strings name, Strings sector, byte[] valid) {}

  private final int n;
  private final long[] quoteId;
  private final double[] price;
  private final long[] size;
  private final long[] ts;
  private final int r;
  private final long[] securityId;
  private final Strings[] strings;
  private final boolean left;
  private final List<Shape> shapes;
  private final int chunks;
  private final ExecutorService pool;
  private final Worker[] workers;
  private final AtomicInteger nextChunk = new AtomicInteger();

  // The ARRAY shape's output, made once (null unless ARRAY is among the shapes).
  private final long[] outId;
  private final double[] outPrice;
  private final long[] outSize;
  private final long[] outTs;
  private final byte[][] outData;
  private final int[][] outOffsets;
  private final byte[] outValid;
  private final Object reserve = new Object();
  private int reservedRows; // guarded by reserve
  private final int[] reservedBytes = new int[3]; // guarded by reserve

  /** The baseline of {@code options}' sink: the shapes of {@link #shapesFor}. */
  ColumnarLoopBaseline(Workload data, BenchOptions options) {
    this(data, options, shapesFor(options.sink()));
  }

  ColumnarLoopBaseline(Workload data, BenchOptions options, List<Shape> shapes) {
    if (options.rows() > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("the columnar loop baseline holds the quotes in arrays; "
          + options.rows() + " rows do not fit; run with --no-baseline");
    }
    this.n = (int) options.rows();
    this.quoteId = new long[n];
    this.price = new double[n];
    this.size = new long[n];
    this.ts = new long[n];
    copyQuotes(data.quotes());
    this.r = (int) options.referenceRows();
    this.securityId = new long[r];
    this.strings = new Strings[3];
    copySecurities(data.securities());
    this.left = options.join() == BenchOptions.Join.LEFT;
    this.shapes = List.copyOf(shapes);
    this.chunks = (int) ((n + (long) CHUNK - 1) / CHUNK);
    int threads = options.threads();
    this.workers = new Worker[threads];
    for (int w = 0; w < threads; w++) workers[w] = new Worker(shapes.contains(Shape.STREAMING));
    AtomicInteger names = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(threads, task -> {
      Thread t = new Thread(task, "loop-baseline-" + names.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    if (shapes.contains(Shape.ARRAY)) {
      long[] sizes = resultSize(new IdIndex(securityId, r));
      if (sizes[0] > Integer.MAX_VALUE - 8 || sizes[1] > Integer.MAX_VALUE - 8
          || sizes[2] > Integer.MAX_VALUE - 8 || sizes[3] > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("the columnar loop baseline's result does not fit Java "
            + "arrays (" + Arrays.toString(sizes) + " rows and string bytes); run with --no-baseline");
      }
      int rows = (int) sizes[0];
      outId = new long[rows];
      outPrice = new double[rows];
      outSize = new long[rows];
      outTs = new long[rows];
      outData = new byte[3][];
      outOffsets = new int[3][];
      for (int c = 0; c < 3; c++) {
        outData[c] = new byte[(int) sizes[1 + c]];
        outOffsets[c] = new int[rows + 1];
      }
      outValid = left ? new byte[rows] : null;
    } else {
      outId = null;
      outPrice = null;
      outSize = null;
      outTs = null;
      outData = null;
      outOffsets = null;
      outValid = null;
    }
  }

  List<Shape> shapes() {
    return shapes;
  }

  // ---------------------------------------------------------------- preparation (not timed)

  private void copyQuotes(List<VectorSchemaRoot> batches) {
    int i = 0;
    for (VectorSchemaRoot b : batches) {
      BigIntVector id = (BigIntVector) noNulls(b, "instrumentId");
      Float8Vector p = (Float8Vector) noNulls(b, "price");
      BigIntVector s = (BigIntVector) noNulls(b, "size");
      BigIntVector t = (BigIntVector) noNulls(b, "ts");
      int rows = b.getRowCount();
      for (int k = 0; k < rows; k++, i++) {
        quoteId[i] = id.get(k);
        price[i] = p.get(k);
        size[i] = s.get(k);
        ts[i] = t.get(k);
      }
    }
    if (i != n) throw new IllegalStateException("generated " + i + " quotes, expected " + n);
  }

  private void copySecurities(List<VectorSchemaRoot> batches) {
    int i = 0;
    for (VectorSchemaRoot b : batches) {
      BigIntVector id = (BigIntVector) noNulls(b, "ID");
      for (int k = 0; k < b.getRowCount(); k++) securityId[i + k] = id.get(k);
      i += b.getRowCount();
    }
    if (i != r) throw new IllegalStateException("generated " + i + " securities, expected " + r);
    for (int c = 0; c < 3; c++) {
      long bytes = 0;
      for (VectorSchemaRoot b : batches) {
        VarCharVector v = (VarCharVector) noNulls(b, STRING_COLUMNS[c]);
        if (b.getRowCount() > 0) bytes += v.getEndOffset(b.getRowCount() - 1) - v.getStartOffset(0);
      }
      if (bytes > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(STRING_COLUMNS[c] + " holds too many bytes for one array");
      }
      byte[] data = new byte[(int) bytes];
      int[] offsets = new int[r + 1];
      int row = 0;
      int pos = 0;
      for (VectorSchemaRoot b : batches) {
        VarCharVector v = (VarCharVector) b.getVector(STRING_COLUMNS[c]);
        for (int k = 0; k < b.getRowCount(); k++) {
          int start = v.getStartOffset(k);
          int len = v.getEndOffset(k) - start;
          v.getDataBuffer().getBytes(start, data, pos, len);
          offsets[row++] = pos;
          pos += len;
        }
      }
      offsets[r] = pos;
      strings[c] = new Strings(data, offsets);
    }
  }

  /** The generated workload has no nulls; the loop relies on it (a null would need a validity check). */
  private static FieldVector noNulls(VectorSchemaRoot b, String column) {
    FieldVector v = b.getVector(column);
    if (v.getNullCount() != 0) {
      throw new IllegalStateException("column " + column + " has nulls; the columnar loop "
          + "baseline expects the generated workload, which has none");
    }
    return v;
  }

  /** Rows, then CUSIP, NAME and SECTOR bytes of the result, counted row by row. */
  private long[] resultSize(IdIndex index) {
    long[] sizes = new long[4];
    for (int i = 0; i < n; i++) {
      if (!(price[i] > 100)) continue;
      int row = index.find(quoteId[i]);
      if (row < 0 && !left) continue;
      sizes[0]++;
      if (row >= 0) {
        for (int c = 0; c < 3; c++) sizes[1 + c] += strings[c].length(row);
      }
    }
    return sizes;
  }

  // ---------------------------------------------------------------- runs

  /**
   * One run of {@code shape}: build the table, then stream every chunk through the pool; rate =
   * N / stream time, build time apart.
   */
  Measurement run(Shape shape) {
    if (!shapes.contains(shape)) throw new IllegalArgumentException(shape + " was not prepared");
    long live = HeapPeak.reset();
    long t0 = System.nanoTime();
    IdIndex index = new IdIndex(securityId, r);
    long t1 = System.nanoTime();
    nextChunk.set(0);
    if (shape == Shape.ARRAY) {
      synchronized (reserve) {
        reservedRows = 0;
        Arrays.fill(reservedBytes, 0);
      }
    }
    List<Future<?>> running = new ArrayList<>(workers.length);
    for (Worker w : workers) {
      w.rows = 0;
      w.matched = 0;
      running.add(pool.submit(() -> work(w, index, shape)));
    }
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("the columnar loop baseline failed: " + e.getCause(),
            e.getCause());
      }
    }
    long out = 0;
    for (Worker w : workers) out += w.rows;
    if (shape == Shape.ARRAY) {
      synchronized (reserve) {
        if (reservedRows != out) {
          throw new IllegalStateException("array shape reserved " + reservedRows + " rows for "
              + out + " output rows");
        }
        for (int c = 0; c < 3; c++) outOffsets[c][reservedRows] = reservedBytes[c];
      }
    }
    long t2 = System.nanoTime();
    long heap = HeapPeak.read();
    return new Measurement(n / ((t2 - t1) / 1e9), t2 - t1, (t1 - t0) / 1e6, t2 - t0, out, 0, heap,
        live);
  }

  /** The ARRAY shape's output of the latest ARRAY run. */
  ArrayResult arrayResult() {
    if (outId == null) throw new IllegalStateException("the ARRAY shape was not prepared");
    synchronized (reserve) {
      return new ArrayResult(reservedRows, outId, outPrice, outSize, outTs,
          new Strings(outData[CUSIP], outOffsets[CUSIP]), new Strings(outData[NAME], outOffsets[NAME]),
          new Strings(outData[SECTOR], outOffsets[SECTOR]), outValid);
    }
  }

  /** Matched quotes of the latest run (for a left join, fewer than the rows out). */
  long matchedRows() {
    long m = 0;
    for (Worker w : workers) m += w.matched;
    return m;
  }

  private void work(Worker w, IdIndex index, Shape shape) {
    int c;
    while ((c = nextChunk.getAndIncrement()) < chunks) {
      int from = c * CHUNK;
      int to = Math.min(n, from + CHUNK);
      int selected = filter(w.selection, from, to);
      switch (shape) {
        case PROBE:
          probeOnly(w, index, selected);
          break;
        case ARRAY:
          gatherArray(w, probe(w, index, selected));
          break;
        case STREAMING:
          gatherStreaming(w, probe(w, index, selected));
          break;
        default:
          throw new AssertionError(shape);
      }
    }
  }

  /** price > 100 over [from, to) into {@code selection}; returns how many. */
  private int filter(int[] selection, int from, int to) {
    double[] p = price;
    int k = 0;
    for (int i = from; i < to; i++) {
      selection[k] = i;
      k += p[i] > 100 ? 1 : 0;
    }
    return k;
  }

  /** Probes the selected rows and counts; the rows out of a left join are all selected rows. */
  private void probeOnly(Worker w, IdIndex index, int selected) {
    int[] sel = w.selection;
    long[] ids = quoteId;
    int matched = 0;
    for (int j = 0; j < selected; j++) matched += index.find(ids[sel[j]]) >= 0 ? 1 : 0;
    w.matched += matched;
    w.rows += left ? selected : matched;
  }

  /**
   * Probes the selected rows into (quote row, reference row) pairs, {@code w.source} and
   * {@code w.reference}: the matched ones, or for a left join every selected one (reference -1
   * when unmatched). Returns how many.
   */
  private int probe(Worker w, IdIndex index, int selected) {
    int[] sel = w.selection;
    int[] src = w.source;
    int[] ref = w.reference;
    long[] ids = quoteId;
    int m = 0;
    int matched = 0;
    if (left) {
      for (int j = 0; j < selected; j++) {
        int row = sel[j];
        int found = index.find(ids[row]);
        src[j] = row;
        ref[j] = found;
        matched += found >= 0 ? 1 : 0;
      }
      m = selected;
    } else {
      for (int j = 0; j < selected; j++) {
        int row = sel[j];
        int found = index.find(ids[row]);
        src[m] = row;
        ref[m] = found;
        m += found >= 0 ? 1 : 0;
      }
      matched = m;
    }
    w.matched += matched;
    w.rows += m;
    return m;
  }

  /** The m pairs' 7 columns into the whole-result arrays, at rows reserved for this chunk. */
  private void gatherArray(Worker w, int m) {
    int[] src = w.source;
    int[] ref = w.reference;
    int[] bytes = w.bytes;
    stringBytes(ref, m, bytes);
    int base;
    int[] byteBase = w.byteBase;
    synchronized (reserve) {
      base = reservedRows;
      reservedRows += m;
      for (int c = 0; c < 3; c++) {
        byteBase[c] = reservedBytes[c];
        reservedBytes[c] += bytes[c];
      }
    }
    long[] qi = quoteId;
    double[] qp = price;
    long[] qs = size;
    long[] qt = ts;
    long[] oi = outId;
    double[] op = outPrice;
    long[] os = outSize;
    long[] ot = outTs;
    for (int j = 0; j < m; j++) {
      int row = src[j];
      oi[base + j] = qi[row];
      op[base + j] = qp[row];
      os[base + j] = qs[row];
      ot[base + j] = qt[row];
    }
    for (int c = 0; c < 3; c++) {
      copyStrings(strings[c], ref, m, outData[c], outOffsets[c], base, byteBase[c]);
    }
    if (left) {
      byte[] valid = outValid;
      for (int j = 0; j < m; j++) valid[base + j] = (byte) (ref[j] >= 0 ? 1 : 0);
    }
  }

  /** The m pairs' 7 columns into this thread's 4,096-row buffers, from row 0. */
  private void gatherStreaming(Worker w, int m) {
    int[] src = w.source;
    int[] ref = w.reference;
    int[] bytes = w.bytes;
    stringBytes(ref, m, bytes);
    long[] qi = quoteId;
    double[] qp = price;
    long[] qs = size;
    long[] qt = ts;
    long[] oi = w.id;
    double[] op = w.price;
    long[] os = w.size;
    long[] ot = w.ts;
    for (int j = 0; j < m; j++) {
      int row = src[j];
      oi[j] = qi[row];
      op[j] = qp[row];
      os[j] = qs[row];
      ot[j] = qt[row];
    }
    for (int c = 0; c < 3; c++) {
      if (w.data[c].length < bytes[c]) { // grows a few times at most, never per row
        w.data[c] = Arrays.copyOf(w.data[c], Math.max(bytes[c], 2 * w.data[c].length));
      }
      w.offsets[c][m] = copyStrings(strings[c], ref, m, w.data[c], w.offsets[c], 0, 0);
    }
    if (left) {
      byte[] valid = w.valid;
      for (int j = 0; j < m; j++) valid[j] = (byte) (ref[j] >= 0 ? 1 : 0);
    }
  }

  /** Bytes of each string column the m pairs need. */
  private void stringBytes(int[] ref, int m, int[] bytes) {
    for (int c = 0; c < 3; c++) {
      int[] offsets = strings[c].offsets();
      int sum = 0;
      for (int j = 0; j < m; j++) {
        int row = ref[j];
        if (row >= 0) sum += offsets[row + 1] - offsets[row];
      }
      bytes[c] = sum;
    }
  }

  /**
   * Copies the strings of the m reference rows into {@code data} from {@code pos}, writing each
   * output row's start offset at {@code offsets[base + j]} (an unmatched row: zero length).
   * Returns the end: the next row's start offset.
   */
  private static int copyStrings(Strings from, int[] ref, int m, byte[] data, int[] offsets,
                                  int base, int pos) {
    byte[] src = from.data();
    int[] srcOffsets = from.offsets();
    for (int j = 0; j < m; j++) {
      offsets[base + j] = pos;
      int row = ref[j];
      if (row >= 0) {
        int start = srcOffsets[row];
        int len = srcOffsets[row + 1] - start;
        System.arraycopy(src, start, data, pos, len);
        pos += len;
      }
    }
    return pos;
  }

  /** One thread's buffers, made once. */
  private static final class Worker {
    final int[] selection = new int[CHUNK];
    final int[] source = new int[CHUNK];
    final int[] reference = new int[CHUNK];
    final int[] bytes = new int[3];
    final int[] byteBase = new int[3];
    // the streaming shape's output buffers (null without it)
    final long[] id;
    final double[] price;
    final long[] size;
    final long[] ts;
    final byte[][] data;
    final int[][] offsets;
    final byte[] valid;
    long rows;
    long matched;

    Worker(boolean streaming) {
      id = streaming ? new long[CHUNK] : null;
      price = streaming ? new double[CHUNK] : null;
      size = streaming ? new long[CHUNK] : null;
      ts = streaming ? new long[CHUNK] : null;
      data = streaming ? new byte[][] {new byte[CHUNK * 16], new byte[CHUNK * 16],
          new byte[CHUNK * 16]} : null;
      offsets = streaming ? new int[][] {new int[CHUNK + 1], new int[CHUNK + 1], new int[CHUNK + 1]}
          : null;
      valid = streaming ? new byte[CHUNK] : null;
    }
  }

  /**
   * ID to reference row: open addressing with linear probing over a power-of-two table at most
   * half full; {@link #EMPTY} marks a free slot (an ID equal to it is kept aside). A later row of
   * the same ID replaces an earlier one, as the engine's {@code on_duplicate: last}.
   */
  static final class IdIndex {
    static final long EMPTY = Long.MIN_VALUE;
    private static final long MIX = 0x9E3779B97F4A7C15L;

    private final long[] keys;
    private final int[] rows;
    private final int mask;
    private final int shift;
    private int emptyKeyRow = -1;

    IdIndex(long[] ids, int count) {
      int bits = Math.max(1, 64 - Long.numberOfLeadingZeros(2L * count - 1));
      if (bits > 30) {
        throw new IllegalArgumentException(count + " reference rows are too many for the loop's table");
      }
      int capacity = 1 << bits;
      keys = new long[capacity];
      Arrays.fill(keys, EMPTY);
      rows = new int[capacity];
      mask = capacity - 1;
      shift = 64 - bits;
      for (int i = 0; i < count; i++) put(ids[i], i);
    }

    private int slot(long key) {
      return (int) ((key * MIX) >>> shift);
    }

    private void put(long key, int row) {
      if (key == EMPTY) {
        emptyKeyRow = row;
        return;
      }
      int i = slot(key);
      while (true) {
        long k = keys[i];
        if (k == EMPTY || k == key) {
          keys[i] = key;
          rows[i] = row;
          return;
        }
        i = (i + 1) & mask;
      }
    }

    /** The reference row of {@code key}, or -1. */
    int find(long key) {
      if (key == EMPTY) return emptyKeyRow;
      long[] k = keys;
      int i = slot(key);
      while (true) {
        long at = k[i];
        if (at == key) return rows[i];
        if (at == EMPTY) return -1;
        i = (i + 1) & mask;
      }
    }

    int capacity() {
      return keys.length;
    }
  }

  /** Describes a shape for the report. */
  String describe(Shape shape) {
    return String.format(Locale.ROOT, "columnar loop, %s (primitive arrays, open-addressing "
            + "table, %,d-row chunks on %d thread%s)", shape.description(), CHUNK, workers.length,
        workers.length == 1 ? "" : "s");
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
