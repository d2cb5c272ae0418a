package io.sabot.connect.memory;

import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Tables held in this process's memory as Arrow batches, read by a SOURCE with
 * {@code memory: NAME} ({@link MemorySource}). Made for benchmarks and embedding: the data is
 * generated or loaded once, and every job that reads it shares the same buffers without copying
 * them.
 *
 * <pre>{@code
 * MemoryTables.register("quotes", schema, batches);   // the registry now owns the batches
 * jobManager.submitJob(graph);                        // SOURCE {memory: quotes}, any number of times
 * MemoryTables.unregister("quotes");                  // closes them once no reader holds them
 * }</pre>
 *
 * <p>Registered batches are never written: a job sees views of them in its own allocator (see
 * {@link MemoryBatchReader}). Unregistering while a job reads the table is safe; the batches are
 * closed when the last reader is closed, and buffers a job still holds stay valid until it
 * releases them.
 */
public final class MemoryTables {
  private static final Map<String, Table> TABLES = new ConcurrentHashMap<>();

  private MemoryTables() {}

  /**
   * Registers {@code batches} under {@code name}; the registry takes ownership of them (on
   * failure too: they are then closed). Each batch must have exactly the schema's columns, in
   * order, with the Arrow types of {@link io.sabot.types.ColumnType#arrowType()}.
   *
   * @throws IllegalArgumentException for a blank or taken name, or a batch that does not match
   */
  public static void register(String name, Schema schema, List<VectorSchemaRoot> batches) {
    Table table;
    try {
      if (name == null || name.isBlank()) throw new IllegalArgumentException("a memory table needs a name");
      table = new Table(name, schema, batches);
    } catch (RuntimeException | Error e) {
      batches.forEach(VectorSchemaRoot::close);
      throw e;
    }
    if (TABLES.putIfAbsent(name, table) != null) {
      table.close();
      throw new IllegalArgumentException("memory table name=" + name + " is already registered; "
          + "unregister it first");
    }
  }

  /**
   * Removes the table; its batches are closed now, or when the last job reading it closes its
   * reader. False when no table has that name.
   */
  public static boolean unregister(String name) {
    Table t = TABLES.remove(name);
    if (t == null) return false;
    t.unregister();
    return true;
  }

  /** The registered names, sorted. */
  public static Set<String> names() {
    return new TreeSet<>(TABLES.keySet());
  }

  /** The rows of a registered table, or -1 when there is none by that name. */
  public static long rows(String name) {
    Table t = TABLES.get(name);
    return t == null ? -1 : t.rows;
  }

  static Table get(String name) {
    return TABLES.get(name);
  }

  /** One registered table: its batches and, per batch and column, the null count. */
  static final class Table {
    final String name;
    final Schema schema;
    final List<VectorSchemaRoot> batches;
    final long[][] nullCounts;
    final long rows;
    private int readers;
    private boolean unregistered;
    private boolean closed;

    private Table(String name, Schema schema, List<VectorSchemaRoot> batches) {
      this.name = name;
      this.schema = schema;
      this.batches = List.copyOf(batches);
      this.nullCounts = new long[batches.size()][];
      long total = 0;
      for (int b = 0; b < this.batches.size(); b++) {
        VectorSchemaRoot batch = this.batches.get(b);
        check(b, batch);
        nullCounts[b] = new long[schema.size()];
        for (int c = 0; c < schema.size(); c++) nullCounts[b][c] = batch.getVector(c).getNullCount();
        total += batch.getRowCount();
      }
      this.rows = total;
    }

    private void check(int b, VectorSchemaRoot batch) {
      List<FieldVector> vectors = batch.getFieldVectors();
      List<String> problems = new ArrayList<>();
      if (vectors.size() != schema.size()) {
        problems.add("has " + vectors.size() + " columns, the schema " + schema.size());
      }
      for (int c = 0; c < Math.min(vectors.size(), schema.size()); c++) {
        Field f = schema.field(c);
        FieldVector v = vectors.get(c);
        // One Arrow type per vector class here (Utf8 is VarCharVector, Timestamp(ms) without a
        // zone is TimeStampMilliVector), so equal types mean the vector the engine expects.
        if (!v.getName().equals(f.name()) || !v.getField().getType().equals(f.type().arrowType())) {
          problems.add("column " + c + " is " + v.getName() + " " + v.getField().getType()
              + " (" + v.getClass().getSimpleName() + "), the schema says " + f);
        }
        if (v.getValueCount() != batch.getRowCount()) {
          problems.add("column " + v.getName() + " has " + v.getValueCount() + " values in a batch of "
              + batch.getRowCount() + " rows");
        }
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("memory table name=" + name + " batch " + b + " "
            + String.join("; ", problems) + "; schema: " + schema);
      }
    }

    /** A reader starts; false when the table was unregistered meanwhile. */
    synchronized boolean acquire() {
      if (unregistered) return false;
      readers++;
      return true;
    }

    synchronized void release() {
      readers--;
      if (unregistered && readers == 0) close();
    }

    synchronized void unregister() {
      unregistered = true;
      if (readers == 0) close();
    }

    private synchronized void close() {
      if (closed) return;
      closed = true;
      batches.forEach(VectorSchemaRoot::close);
    }
  }
}
