/**
 * {@code sabot bench} and {@code sabot bench-kafka}: the workload of docs/workload.md run through
 * the real engine and, in the same process on the same data, through a plain {@code HashMap}
 * enrichment, so the ratio between the two says how the engine does, whatever the machine.
 *
 * <pre>
 *   prepare (not timed)   generate quotes + securities ─► memory tables (─► files, once)
 *   warm-up               engine x W, HashMap x W
 *   timed, interleaved    engine run i, HashMap run i       for i = 1..runs
 *   report                each run, medians, ratio; row counts must agree
 *   RESULT rows_per_s=<engine median> out=<rows> ratio_vs_hashmap=<engine / HashMap>
 * </pre>
 *
 * Lives in its own module, never in {@code verify}: performance is measured here, never by timed
 * tests. Figures are kept in BENCHMARKS.md.
 */
package io.sabot.bench;
