package io.sabot.plan;

import io.sabot.graph.StreamOperatorNode;
import io.sabot.physical.HashJoinExec;
import io.sabot.reference.OnDuplicate;

/** A join's reference side: the pipeline whose rows become the table, and how it is keyed. */
public record ReferenceBuild(
    StreamOperatorNode join,
    PipelinePlan input,
    int[] keyColumns,
    OnDuplicate onDuplicate,
    HashJoinExec probe) {}
