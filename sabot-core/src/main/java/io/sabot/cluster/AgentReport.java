package io.sabot.cluster;

import java.time.Instant;

/**
 * What one agent last said about one job, on the status topic {@value JobCluster#STATUS_TOPIC}.
 *
 * @param agent     the agent's name ({@code sabot agent --id})
 * @param state     running, finished (a bounded job's share is done), stopped (cancelled, or the
 *                  agent was told to stop), failed (this agent could not run it: {@code reason})
 * @param rowsIn    stream rows this agent read for the job so far
 * @param rowsOut   rows it wrote
 * @param reason    why it failed; empty otherwise
 * @param updatedAt when it said so (an agent reports every few seconds while a job runs)
 */
public record AgentReport(String agent, String state, long rowsIn, long rowsOut, String reason,
                          Instant updatedAt) {}
