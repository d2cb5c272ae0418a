/**
 * Running a job on this machine: {@link io.sabot.exec.JobManager} (optimize, plan, run), the
 * {@link io.sabot.exec.LocalExecutor} (per sink: build the reference tables, then stream), the
 * {@link io.sabot.exec.PipelineRunner} (threads and ordering), live reference tables from
 * changelogs ({@link io.sabot.exec.LiveReferences}), dead letters, stops and the job summary.
 *
 * <pre>
 *  reader thread ──batch──► worker pool (fused pipeline) ──future──► bounded queue ──► consumer
 *  (decodes, in partition order)                                   (in submission order)
 * </pre>
 *
 * Output order equals input order within each partition; at most {@code 2 x threads} batches are
 * in flight; every batch is closed by its last owner, also on failure. One Arrow allocator per
 * job: memory still held at the end fails the job as an internal error. docs/architecture.md
 * follows a batch through these classes.
 */
package io.sabot.exec;
