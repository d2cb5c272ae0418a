/**
 * The job as the user writes it: a {@link io.sabot.graph.JobGraph} of
 * {@link io.sabot.graph.StreamOperatorNode}s (SOURCE, FILTER, SELECT, HASH_JOIN, SINK, see
 * {@link io.sabot.graph.OperatorType}) and the connections between them, built in Java or read
 * from a YAML/JSON job file by {@link io.sabot.graph.JobFile}; and each operator's typed
 * {@link io.sabot.graph.OperatorSpec}, parsed once from its parameters.
 *
 * <pre>
 *   parameters (as written) ──node.spec()──► OperatorSpec ──toParameters()──► parameters (canonical)
 *                               │
 *     FILTER     FilterSpec     │  read by OperatorParameters: every bad parameter of the
 *     SELECT     SelectSpec     │  operator at once, as operator=NAME parameter=KEY value=V ...
 *     HASH_JOIN  JoinSpec       │
 *     SOURCE     SourceSpec ◄───┤  the connector part from the ConnectorSpecParser on the class
 *     SINK       SinkSpec   ◄───┘  path (io.sabot.connect.Connectors), through ServiceLoader
 * </pre>
 *
 * <p>This is the public API and the contract the command line, the tests and agents share;
 * docs/job-file.md describes every parameter. Here the graph checks its structure (ids, cycles,
 * input counts, a sink) and each operator its parameters; column names and types are checked
 * once the sources' schemas are known ({@code io.sabot.optimizer.SchemaResolver},
 * {@code io.sabot.plan}). Nothing in this package reads data; it uses only {@code error},
 * {@code types} and {@code expr}.
 */
package io.sabot.graph;
