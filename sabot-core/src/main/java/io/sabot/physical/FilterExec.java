package io.sabot.physical;

import java.util.concurrent.atomic.LongAdder;

/** FILTER in a fused pipeline: evaluates the condition and compacts the frame. */
public final class FilterExec implements PipelineStep, StepMetrics {
  private final RowFilter filter;
  final LongAdder rowsIn = new LongAdder();
  final LongAdder rowsOut = new LongAdder();

  public FilterExec(RowFilter filter) {
    this.filter = filter;
  }

  @Override
  public void apply(Frame f, Scratch s) {
    int n = f.n;
    rowsIn.add(n);
    if (n > 0) {
      int[] in = s.identity(n);
      int[] sel = s.selection(n);
      int k = filter.select(f, in, n, sel, s);
      f.compact(sel, k);
    }
    rowsOut.add(f.n);
  }

  @Override
  public long rowsIn() {
    return rowsIn.sum();
  }

  @Override
  public long rowsOut() {
    return rowsOut.sum();
  }
}
