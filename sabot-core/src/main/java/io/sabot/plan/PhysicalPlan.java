package io.sabot.plan;

import io.sabot.graph.JobGraph;
import io.sabot.types.Schema;
import java.util.List;
import java.util.Map;

/**
 * The job lowered for the local executor: one {@link SinkPlan} per sink, and the output schema of
 * every operator (derived before anything runs).
 */
public record PhysicalPlan(JobGraph graph, List<SinkPlan> sinks, Map<String, Schema> schemas) {}
