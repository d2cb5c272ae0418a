/**
 * {@code sabot bench} and {@code sabot bench-kafka}: the workload of docs/workload.md run through
 * the real engine and, in the same process on the same data, through two baselines, so the
 * ratios between them say how the engine does, whatever the machine: a plain {@code HashMap}
 * enrichment over Java objects ({@link io.sabot.bench.HashMapBaseline}), and a hand-written
 * columnar loop over plain arrays doing the engine's work without an engine
 * ({@link io.sabot.bench.ColumnarLoopBaseline}).
 *
 * <pre>
 *   prepare (not timed)   generate quotes + securities ─► memory tables (─► files, once);
 *                         copies as Java objects (HashMap) and plain arrays (loop)
 *   warm-up               engine x W, HashMap x W, loop x W (each shape)
 *   timed, interleaved    engine run i, HashMap run i, loop run i       for i = 1..runs
 *   report                each run, medians, ratios; row counts must agree
 *   RESULT rows_per_s=<engine median> out=<rows> ratio_vs_hashmap=<engine / HashMap>
 *          ratio_vs_loop=<engine / loop> ratio_vs_streaming_loop=<engine / streaming loop | n/a>
 * </pre>
 *
 * The sink ({@code --sink}) sets the output work, and the loop's shape follows it:
 * <pre>
 *   --sink     engine                                          loop shape(s)
 *   discard    rows counted, no output batch built             filter+probe, count
 *   batches    every output batch built in full, then dropped  array (whole result), streaming (4,096-row buffers)
 *              (discard: true, materialize: true)
 *   devnull    output batches built, Arrow IPC to /dev/null    array, streaming
 * </pre>
 *
 * Lives in its own module, never in {@code verify}: performance is measured here, never by timed
 * tests. Figures are kept in BENCHMARKS.md.
 */
package io.sabot.bench;
