package io.sabot.physical;

/** Row counts of one fused step, summed over all workers. */
public interface StepMetrics {
  long rowsIn();

  long rowsOut();
}
