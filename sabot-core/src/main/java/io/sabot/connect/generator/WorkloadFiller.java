package io.sabot.connect.generator;

import org.apache.arrow.vector.VectorSchemaRoot;

/** Writes the next rows of a generated table straight into an allocated batch. */
interface WorkloadFiller {
  /** Fills rows [0, count) of {@code batch} (allocated for at least count rows) with the next rows. */
  void fill(VectorSchemaRoot batch, int count);
}
