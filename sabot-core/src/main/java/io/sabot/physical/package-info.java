/**
 * The operators and kernels that run on Arrow batches: one
 * {@link io.sabot.physical.FusedPipeline} per stream, made of steps (filters, probes) that pass
 * only row numbers (selection vectors) and gather values once, at the end.
 *
 * <pre>
 *   stream batch ─► filter ─► probe ref 1 ─► filter ─► probe ref 2 ─► gather outputs ─► sink
 *                   (only row numbers move between steps; values are copied once, at the end)
 * </pre>
 *
 * Filters are bound to column positions by {@link io.sabot.physical.FilterBinder}, which picks a
 * kernel per predicate ({@code NumericCompare}, {@code DenseCompare}, {@code NumericInList},
 * {@code StringCompare}, {@code NullCheck}) and refuses values that do not fit the column.
 * {@link io.sabot.physical.HashJoinExec} probes a prebuilt reference table. The pipeline is shared
 * by every worker thread; each worker has its own scratch arrays and reused output vectors, so the
 * hot path allocates nothing per row and takes no lock.
 */
package io.sabot.physical;
