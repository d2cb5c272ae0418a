package io.sabot.cluster;

import io.sabot.reference.ReferenceTableStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one agent last said about one job, on the status topic {@value JobCluster#STATUS_TOPIC}.
 *
 * @param agent      the agent's name ({@code sabot agent --id})
 * @param state      running, finished (a bounded job's share is done), stopped (cancelled, or the
 *                   agent was told to stop), failed (this agent could not run it: {@code reason})
 * @param rowsIn     stream rows this agent read for the job so far
 * @param rowsOut    rows it wrote
 * @param reason     why it failed; empty otherwise
 * @param updatedAt  when it said so (an agent reports every second while a job runs)
 * @param partitions the stream partitions it reads now, by topic (none once it no longer runs)
 * @param lag        records in those partitions past its position, summed; -1 when unknown
 *                   (not running, or not read yet)
 * @param references the job's reference tables as this agent has them
 * @param summary    once the job finished or stopped here: what each operator did; else null
 */
public record AgentReport(String agent, String state, long rowsIn, long rowsOut, String reason,
                          Instant updatedAt, Map<String, List<Integer>> partitions, long lag,
                          List<ReferenceTableStatus> references, AgentSummary summary) {
  public AgentReport {
    TreeMap<String, List<Integer>> sorted = new TreeMap<>();
    partitions.forEach((topic, numbers) -> sorted.put(topic, numbers.stream().sorted().toList()));
    partitions = Collections.unmodifiableMap(sorted);
    references = List.copyOf(references);
  }

  /** A report with no partitions, lag, tables or summary (a job that failed, or had not begun). */
  public AgentReport(String agent, String state, long rowsIn, long rowsOut, String reason,
                     Instant updatedAt) {
    this(agent, state, rowsIn, rowsOut, reason, updatedAt, Map.of(), -1, List.of(), null);
  }

  /** How many stream partitions it reads now. */
  public int partitionCount() {
    return partitions.values().stream().mapToInt(List::size).sum();
  }
}
