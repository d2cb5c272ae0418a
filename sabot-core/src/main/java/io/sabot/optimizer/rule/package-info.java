/**
 * One optimizer rule per class. Each rule is small and stateless: it takes a plan and returns a
 * new one (the input is never changed) with a note of what it changed; the order in which they
 * run, and why, is in {@link io.sabot.optimizer.PlanOptimizer}. {@link
 * io.sabot.optimizer.rule.SanityCheckPlan} runs last and changes nothing: it fails with an
 * internal error if the optimized plan's sinks would receive other columns than the plan as
 * written.
 */
package io.sabot.optimizer.rule;
