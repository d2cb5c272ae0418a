/**
 * The job as the user writes it: a {@link io.sabot.graph.JobGraph} of
 * {@link io.sabot.graph.StreamOperatorNode}s (SOURCE, FILTER, SELECT, HASH_JOIN, SINK, see
 * {@link io.sabot.graph.OperatorType}) and the connections between them, built in Java or read
 * from a YAML/JSON job file by {@link io.sabot.graph.JobFile}.
 *
 * <p>This is the public API and the contract the command line, the tests and (later) agents
 * share; docs/job-file.md describes every parameter. The graph checks only its structure here
 * (ids, cycles, input counts, a sink); column names and types are checked when the plan is
 * resolved against the sources' schemas ({@code io.sabot.plan}). Nothing in this package reads
 * data or depends on a package below it.
 */
package io.sabot.graph;
