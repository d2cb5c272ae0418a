package io.sabot.plan;

import io.sabot.connect.Sink;
import io.sabot.graph.StreamOperatorNode;

/** A sink and the pipeline that feeds it. */
public record SinkPlan(StreamOperatorNode sinkNode, Sink sink, PipelinePlan stream) {}
