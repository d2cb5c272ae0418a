package io.sabot.plan;

import io.sabot.graph.StreamOperatorNode;

/**
 * A logical operator and the physical step that runs it (null for operators that cost nothing at
 * run time, such as a SELECT, whose row counts are those of the step before).
 */
public record OperatorStep(StreamOperatorNode node, io.sabot.physical.StepMetrics metrics) {}
