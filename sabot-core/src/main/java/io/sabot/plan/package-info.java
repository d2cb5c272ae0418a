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
 * {@link io.sabot.graph.JoinColumns}); the paths a job may not both read and write are checked
 * by {@link io.sabot.plan.OutputPaths}. Every operator is read through its typed spec
 * ({@code node.spec()}); sources and sinks are opened by {@link io.sabot.connect.Connectors}, a
 * sink with a {@link io.sabot.connect.SinkContext} naming the stream that feeds it (a file sink's
 * write mode depends on it).
 */
package io.sabot.plan;
