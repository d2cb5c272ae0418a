package io.sabot.physical;

import io.sabot.reference.ReferenceStore;
import io.sabot.reference.ReferenceTable;
import io.sabot.types.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.util.Text;

/**
 * HASH_JOIN in a fused pipeline: probes a prebuilt {@link ReferenceTable} with the key columns of
 * each frame row and fills the row array of the table's origin.
 *
 * <pre>
 *   inner, one match per key:  rows[ref] = match; drop rows whose match is -1
 *   left outer:                rows[ref] = match; -1 stays (null reference columns)
 *   on_duplicate: all:         one frame row per (row, match) pair, in reference order
 * </pre>
 *
 * A table in a {@link ReferenceStore} (state_backend: rocksdb) is looked up first: the batch's
 * keys in one call, which gives a small table of just the matching rows, bound to the frame for
 * this batch; the probe then runs on it as on any table.
 */
public final class HashJoinExec implements PipelineStep, StepMetrics {
  private final int refOrigin;
  private final int keyOrigin;
  private final int[] keyIndexes;
  private final boolean leftOuter;
  private final boolean multiMatch;
  private volatile ReferenceTable table;
  private volatile ReferenceStore store;
  final LongAdder rowsIn = new LongAdder();
  final LongAdder rowsOut = new LongAdder();
  final LongAdder matched = new LongAdder();
  private volatile List<String> sampleStreamKeys;

  public HashJoinExec(int refOrigin, int keyOrigin, int[] keyIndexes, boolean leftOuter,
                      boolean multiMatch) {
    this.refOrigin = refOrigin;
    this.keyOrigin = keyOrigin;
    this.keyIndexes = keyIndexes;
    this.leftOuter = leftOuter;
    this.multiMatch = multiMatch;
  }

  /**
   * Attaches the built table, before the first batch. For a live table, later versions are
   * attached too (the summary reads the latest); batches probe the version their frame is bound
   * to ({@link FusedPipeline.Worker#process(org.apache.arrow.vector.VectorSchemaRoot,
   * org.apache.arrow.memory.BufferAllocator, boolean, ReferenceTable[])}).
   */
  public void attach(ReferenceTable built) {
    this.table = built;
  }

  /** The table, or null when the join reads a {@link #store()}. */
  public ReferenceTable table() {
    return table;
  }

  /** Attaches a table kept in a store, before the first batch; probed through per-batch lookups. */
  public void attach(ReferenceStore built) {
    this.store = built;
  }

  /** The store the table is kept in, or null when it is in memory ({@link #table()}). */
  public ReferenceStore store() {
    return store;
  }

  public int refOrigin() {
    return refOrigin;
  }

  @Override
  public void apply(Frame f, Scratch s) {
    int n = f.n;
    rowsIn.add(n);
    f.liveOrigins = refOrigin + 1;
    FieldVector[] keys = new FieldVector[keyIndexes.length];
    for (int k = 0; k < keys.length; k++) keys[k] = f.columns[keyOrigin][keyIndexes[k]];
    // a stored table: even for no rows, the gather needs this batch's (empty) columns
    ReferenceTable version = store == null ? f.tables[refOrigin]
        : f.lookUp(refOrigin, keys, f.rows[keyOrigin], n);
    if (n == 0) return;
    if (sampleStreamKeys == null) sampleStreamKeys = sample(keys, f.rows[keyOrigin], n);
    if (multiMatch) {
      int[] match = s.matches(n);
      version.probe(keys, f.rows[keyOrigin], n, match);
      expand(f, s, match, version);
    } else {
      // One match per row: the probe writes the origin's row array itself.
      int[] ref = f.rows[refOrigin];
      version.probe(keys, f.rows[keyOrigin], n, ref);
      if (leftOuter) {
        int found = 0;
        for (int i = 0; i < n; i++) found += ref[i] >= 0 ? 1 : 0;
        matched.add(found);
      } else {
        f.keepMatched(refOrigin);
        matched.add(f.n);
      }
    }
    rowsOut.add(f.n);
  }

  /** One output row per (frame row, matching reference row); unmatched rows kept for left outer. */
  private void expand(Frame f, Scratch s, int[] match, ReferenceTable version) {
    int n = f.n;
    int total = 0;
    int found = 0;
    for (int i = 0; i < n; i++) {
      if (match[i] < 0) {
        total += leftOuter ? 1 : 0;
        continue;
      }
      found++;
      for (int m = match[i]; m >= 0; m = version.nextMatch(m)) total++;
    }
    matched.add(found);
    int[] source = s.slot(Scratch.EXPAND_SOURCE, total);
    int[] refRows = s.slot(Scratch.EXPAND_REF, total);
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (match[i] < 0) {
        if (leftOuter) {
          source[k] = i;
          refRows[k++] = -1;
        }
        continue;
      }
      for (int m = match[i]; m >= 0; m = version.nextMatch(m)) {
        source[k] = i;
        refRows[k++] = m;
      }
    }
    f.expand(source, refRows, total, refOrigin);
  }

  private static List<String> sample(FieldVector[] keys, int[] rows, int n) {
    List<String> out = new ArrayList<>();
    StringBuilder types = new StringBuilder("(");
    for (int k = 0; k < keys.length; k++) {
      if (k > 0) types.append(", ");
      types.append(ColumnType.fromArrow(keys[k].getField().getType()));
    }
    out.add(types.append(")").toString());
    for (int i = 0; i < n && out.size() < 6; i++) {
      StringBuilder sb = new StringBuilder();
      for (int k = 0; k < keys.length; k++) {
        if (k > 0) sb.append('|');
        Object v = rows[i] < 0 ? null : keys[k].getObject(rows[i]);
        sb.append(v instanceof Text ? "'" + v + "'" : v);
      }
      out.add(sb.toString());
    }
    return out;
  }

  @Override
  public long rowsIn() {
    return rowsIn.sum();
  }

  @Override
  public long rowsOut() {
    return rowsOut.sum();
  }

  /** Stream rows that found at least one reference row. */
  public long matched() {
    return matched.sum();
  }

  public long unmatched() {
    return rowsIn.sum() - matched.sum();
  }

  /**
   * The stream key types, then a few key values from the first batch: for the "join matched
   * nothing" warning.
   */
  public List<String> sampleStreamKeys() {
    List<String> s = sampleStreamKeys;
    return s == null ? List.of() : s;
  }
}
