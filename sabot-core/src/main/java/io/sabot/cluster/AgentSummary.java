package io.sabot.cluster;

import io.sabot.graph.OperatorType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a job did on one agent, carried by the agent's report once the job finished or stopped
 * there: the figures of the summary {@code sabot run} prints. {@code io.sabot.exec.AgentSummaries}
 * makes it from a job's summary and merges those of every agent into one summary.
 *
 * @param threads        the agent's worker threads for the job
 * @param wallMillis     how long the job ran there
 * @param streamMillis   how long its stream stage ran there
 * @param peakArrowBytes the most Arrow memory it held there at once
 * @param operators      one line per operator, in the order the summary prints them
 * @param warnings       the summary's warnings
 * @param deadLetters    where rejected records went (a file on the agent, a topic)
 */
public record AgentSummary(int threads, long wallMillis, long streamMillis, long peakArrowBytes,
                           List<Operator> operators, List<String> warnings,
                           List<String> deadLetters) {
  public AgentSummary {
    operators = List.copyOf(operators);
    warnings = List.copyOf(warnings);
    deadLetters = List.copyOf(deadLetters);
  }

  /**
   * One operator's line of the summary.
   *
   * @param details        its counters (numbers) and notes, as the summary prints them
   * @param feedsReference it builds a reference table (the table's source and the operators
   *                       before the join): every agent reads that input whole, so its counts
   *                       are the same on every agent rather than a share
   */
  public record Operator(String name, OperatorType type, long rowsIn, long rowsOut,
                         Map<String, Object> details, boolean feedsReference) {
    public Operator {
      details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }
  }
}
