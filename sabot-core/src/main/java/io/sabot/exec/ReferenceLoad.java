package io.sabot.exec;

import io.sabot.error.InvalidJobException;
import io.sabot.graph.JoinSpec;
import io.sabot.graph.StateBackend;
import io.sabot.graph.StateSpec;
import io.sabot.physical.TableFilter;
import io.sabot.plan.ReferenceBuild;
import io.sabot.reference.ReferenceStore;
import io.sabot.reference.ReferenceStoreBuilder;
import io.sabot.reference.ReferenceStoreProvider;
import io.sabot.reference.ReferenceStores;
import io.sabot.reference.ReferenceTable;
import io.sabot.reference.StoreRequest;
import io.sabot.types.Schema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Loads one static reference table into the backend its join's {@code state_backend} asks for,
 * batch by batch, in input order (the consumer thread):
 *
 * <pre>
 *   memory   keep every batch ─► concatenate ─► ReferenceTable
 *   rocksdb  each batch ─► ReferenceStoreBuilder.add ─► ReferenceStore
 *   auto     keep batches while their bytes (+ the index's) stay within memory_budget; past it,
 *            open a store, move the kept batches into it, and go on as rocksdb
 * </pre>
 *
 * So {@code auto} decides on the bytes actually loaded, not on a guess, and a table that fits
 * is built exactly as under {@code memory}. {@link #choice()} says which backend and why.
 */
final class ReferenceLoad implements AutoCloseable {
  /** Bytes per row the memory table's index and duplicate chain add to the Arrow columns. */
  private static final long INDEX_BYTES_PER_ROW = 16;

  private final ReferenceBuild build;
  private final Schema schema;
  private final BufferAllocator allocator;
  private final StateSpec state;
  private final long budget;
  private final List<VectorSchemaRoot> kept = new ArrayList<>();
  private long keptBytes;
  private long keptRows;
  private ReferenceStoreBuilder store;
  private String choice;

  ReferenceLoad(ReferenceBuild build, Schema schema, BufferAllocator allocator) {
    this.build = build;
    this.schema = schema;
    this.allocator = allocator;
    this.state = build.join().spec(JoinSpec.class).state();
    this.budget = state.effectiveBudget();
    if (state.backend() == StateBackend.ROCKSDB) {
      openStore();
      choice = "rocksdb";
    }
  }

  /** Takes one batch of the reference pipeline's output (and closes it). */
  void add(VectorSchemaRoot batch) {
    try {
      if (store != null) {
        store.add(batch, visible(batch));
        return;
      }
      kept.add(batch);
      keptRows += batch.getRowCount();
      keptBytes += bytes(batch) + INDEX_BYTES_PER_ROW * batch.getRowCount();
      batch = null; // kept
      if (state.backend() == StateBackend.AUTO && keptBytes > budget) switchToStore();
    } finally {
      if (batch != null) batch.close();
    }
  }

  /** The table, attached to its join; closed later by {@code closeAll} through {@code owned}. */
  AutoCloseable finish() {
    if (store != null) {
      ReferenceStore s = finishUnattached();
      build.probe().attach(s);
      return s;
    }
    if (state.backend() == StateBackend.AUTO) choice = memoryChoice(keptBytes, budget);
    VectorSchemaRoot all = Batches.concatenate(kept, schema, allocator);
    kept.forEach(VectorSchemaRoot::close);
    kept.clear();
    ReferenceTable table = build.buildTable(schema, all);
    build.probe().attach(table);
    return table;
  }

  /**
   * For a live table: the store, attached to its join, or null when {@code auto} found the rows
   * within memory_budget; then the rows loaded, already through the reference pipeline, are
   * kept for the caller's memory table ({@link #takeRows()}), so that they are neither read nor
   * counted twice.
   */
  ReferenceStore finishStore() {
    ReferenceStore s = finishStoreUnattached();
    if (s != null) build.probe().attach(s);
    return s;
  }

  /**
   * As {@link #finishStore()}, the store not attached to the join: for a load of the rows a feed
   * restored, which its caller attaches once the feed's changes since are applied to it.
   */
  ReferenceStore finishStoreUnattached() {
    if (store != null) return finishUnattached();
    choice = memoryChoice(keptBytes, budget);
    return null;
  }

  private ReferenceStore finishUnattached() {
    ReferenceStore s = store.finish();
    store = null;
    return s;
  }

  /** What {@code auto} says when it keeps a table of {@code bytes} in memory. */
  private static String memoryChoice(long bytes, long budget) {
    return "memory (auto: " + Sizes.human(bytes) + " <= memory_budget " + Sizes.human(budget) + ")";
  }

  /** The rows loaded and kept (the caller closes them); empty once taken, or for a store. */
  List<VectorSchemaRoot> takeRows() {
    List<VectorSchemaRoot> rows = new ArrayList<>(kept);
    kept.clear();
    return rows;
  }

  /** Which backend holds the table, and for auto why; null for a plain memory table. */
  String choice() {
    return choice;
  }

  private void switchToStore() {
    choice = String.format("rocksdb (auto: %s after %,d rows > memory_budget %s)",
        Sizes.human(keptBytes), keptRows, Sizes.human(budget));
    openStore();
    while (!kept.isEmpty()) {
      VectorSchemaRoot b = kept.remove(0);
      try {
        store.add(b, visible(b));
      } finally {
        b.close();
      }
    }
  }

  private void openStore() {
    store = provider(build).builder(request(build, schema));
  }

  /** The store provider a state_backend of rocksdb or auto needs (a plan error without it). */
  static ReferenceStoreProvider provider(ReferenceBuild build) {
    ReferenceStoreProvider provider = ReferenceStores.find("rocksdb");
    if (provider == null) {
      throw new InvalidJobException("operator=" + build.join().name() + " parameter=state_backend "
          + "value=" + build.join().spec(JoinSpec.class).state().backend() + " needs the "
          + "sabot-rocksdb module, which is not on the class path; add it (the sabot command "
          + "carries it) or use state_backend: memory");
    }
    return provider;
  }

  /** What a store of {@code build}'s table is asked to hold, and where. */
  static StoreRequest request(ReferenceBuild build, Schema schema) {
    StateSpec state = build.join().spec(JoinSpec.class).state();
    Path dir = state.stateDir() == null ? null : Path.of(state.stateDir()).toAbsolutePath();
    return new StoreRequest(build.join().name(), schema, build.keyColumns(), build.onDuplicate(),
        state.effectiveBudget(), dir);
  }

  private boolean[] visible(VectorSchemaRoot batch) {
    return visible(build, batch);
  }

  /** keep[row] by the join's reference filter, or null when it has none. */
  static boolean[] visible(ReferenceBuild build, VectorSchemaRoot batch) {
    return build.referenceFilter() == null ? null : TableFilter.keep(build.referenceFilter(), batch);
  }

  private static long bytes(VectorSchemaRoot batch) {
    long b = 0;
    for (FieldVector v : batch.getFieldVectors()) b += v.getBufferSize();
    return b;
  }

  @Override
  public void close() {
    kept.forEach(VectorSchemaRoot::close);
    kept.clear();
    if (store != null) {
      store.close();
      store = null;
    }
  }
}
