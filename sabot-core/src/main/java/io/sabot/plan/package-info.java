/**
 * Lowering: {@link io.sabot.plan.JobPlanner} turns a validated {@code JobGraph} into a
 * {@link io.sabot.plan.PhysicalPlan}, one {@link io.sabot.plan.SinkPlan} per sink, each a stream
 * {@link io.sabot.plan.PipelinePlan} plus the {@link io.sabot.plan.ReferenceBuild}s its joins
 * need. Every column name, type and parameter is checked here, and all problems are reported
 * together as one plan error before any data is read.
 *
 * <pre>
 *   SINK ◄─ SELECT ◄─ HASH_JOIN ◄─ FILTER ◄─ SOURCE(quotes)      stream pipeline
 *                         ▲
 *                         └──── SELECT ◄─ SOURCE(securities)     reference build pipeline
 * </pre>
 *
 * Joins are lowered by {@link io.sabot.plan.JoinLowering} (key checks, output names from
 * {@link io.sabot.plan.JoinColumns}); sink write modes and the paths a job may not both read and
 * write are checked by {@link io.sabot.plan.SinkModes} and {@link io.sabot.plan.OutputPaths}.
 */
package io.sabot.plan;
