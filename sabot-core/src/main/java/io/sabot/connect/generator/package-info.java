/**
 * The benchmark workload ({@code docs/workload.md}) as a source ({@code generator: quotes} or
 * {@code securities}), so a job, a test and a benchmark all see the same rows: {@link
 * io.sabot.connect.generator.GeneratorSource}, one partition.
 *
 * <pre>
 *   GeneratorBatchReader ─ batch_size rows at a time ─► WorkloadFiller.fill
 *       ├─ QuotesFiller:      instrumentId, price, size, ts
 *       └─ SecuritiesFiller:  ID, CUSIP, NAME, SECTOR, EXCHANGE, STATUS, DESCRIPTION, F0..F7
 *       values go straight into the vectors, only the projected columns
 * </pre>
 */
package io.sabot.connect.generator;
