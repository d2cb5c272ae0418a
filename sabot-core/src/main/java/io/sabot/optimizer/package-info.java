/**
 * The {@link io.sabot.optimizer.PlanOptimizer}: rewrites a {@code JobGraph} into an equivalent
 * one that reads, stores and probes less, as an explicit ordered list of
 * {@link io.sabot.optimizer.OptimizerRule}s (in {@code io.sabot.optimizer.rule}), and explains
 * what it did ({@link io.sabot.optimizer.PlanExplainer}, the text of {@code sabot explain}).
 *
 * <pre>
 *   JobGraph ─► EliminateDeadOperators ─► SplitConjunctions ─► PushDownFilter ─► ReorderJoins
 *            ─► DetectContradictions ─► PushDownProjection ─► FuseOperators ─► SanityCheckPlan
 *            ─► OptimizedJob (graph as written, graph as optimized, what each rule changed)
 * </pre>
 *
 * Rules ask {@link io.sabot.optimizer.PlanContext} for each operator's output schema and
 * {@link io.sabot.optimizer.SourceStatistics} for sizes. The output is again a {@code JobGraph},
 * so an optimized job can be written back as a job file and run with {@code --no-optimize}.
 */
package io.sabot.optimizer;
