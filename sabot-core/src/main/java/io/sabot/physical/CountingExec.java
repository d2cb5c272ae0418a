package io.sabot.physical;

import java.util.concurrent.atomic.LongAdder;

/** Counts the rows passing a point of the pipeline (a SELECT, which moves no data). */
public final class CountingExec implements PipelineStep, StepMetrics {
  private final LongAdder rows = new LongAdder();

  @Override
  public void apply(Frame frame, Scratch scratch) {
    rows.add(frame.n);
  }

  /** Counts rows that passed without the pipeline running ({@link FusedPipeline#passesThrough}). */
  void count(long n) {
    rows.add(n);
  }

  @Override
  public long rowsIn() {
    return rows.sum();
  }

  @Override
  public long rowsOut() {
    return rows.sum();
  }
}
