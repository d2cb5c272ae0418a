package io.sabot.plan;

import io.sabot.connect.Source;
import io.sabot.graph.OnError;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.physical.FusedPipeline;
import io.sabot.types.Schema;
import java.nio.file.Path;
import java.util.List;

/**
 * One source read through one fused pipeline: the stream side of a sink, or the input of a
 * reference table. {@code builds} are the reference tables its joins probe, in probe order; each
 * must be built before this pipeline reads its first batch.
 */
public record PipelinePlan(
    StreamOperatorNode sourceNode,
    Source source,
    Schema readColumns,
    OnError onError,
    Path rejectsPath,
    int batchSize,
    List<ReferenceBuild> builds,
    FusedPipeline pipeline,
    List<OperatorStep> operators) {

  /** The source's operator name. */
  public String sourceName() {
    return sourceNode.name();
  }
}
