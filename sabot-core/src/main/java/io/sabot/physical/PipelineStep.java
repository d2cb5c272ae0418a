package io.sabot.physical;

/** One fused operator: it rewrites the frame's row arrays in place. */
public interface PipelineStep {
  void apply(Frame frame, Scratch scratch);
}
