package io.sabot.graph;

import io.sabot.error.InvalidJobException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A job: operators and the connections between them, as the user wrote it.
 *
 * <pre>{@code
 * JobGraph graph = new JobGraph("stream_enrichment");
 * graph.addOperator(quotes);
 * graph.addOperator(securities);
 * graph.addOperator(join);
 * graph.connect(quotes.operatorId(), join.operatorId());      // first input: the stream
 * graph.connect(securities.operatorId(), join.operatorId());  // second input: the reference table
 * }</pre>
 *
 * <p>The order of {@link #connect} calls matters for a HASH_JOIN: its first input is the stream
 * (left, probe side), its second the reference table (right, build side). {@link #validate()}
 * checks the structure (ids, cycles, input counts, a sink); column and type checks happen when the
 * plan is resolved against the sources' schemas.
 */
public final class JobGraph {
  /** A connection from an upstream operator to a downstream one. */
  public record Edge(String from, String to) {}

  private final String jobName;
  private final Map<String, StreamOperatorNode> operators = new LinkedHashMap<>();
  private final List<Edge> edges = new ArrayList<>();
  private java.nio.file.Path baseDirectory = java.nio.file.Path.of("");

  public JobGraph(String jobName) {
    this.jobName = Objects.requireNonNull(jobName, "jobName");
  }

  public String jobName() {
    return jobName;
  }

  /**
   * The folder relative paths in parameters resolve against: the job file's folder when loaded
   * from a file, else the working directory. Not part of the job file.
   */
  public java.nio.file.Path baseDirectory() {
    return baseDirectory;
  }

  public void setBaseDirectory(java.nio.file.Path folder) {
    this.baseDirectory = Objects.requireNonNull(folder);
  }

  /** Adds an operator; its name must be new in this graph. Returns the operator id. */
  public String addOperator(StreamOperatorNode node) {
    if (operators.containsKey(node.operatorId())) {
      throw new InvalidJobException("operator name=" + node.operatorId()
          + " is used twice; operator names are ids and must be unique");
    }
    operators.put(node.operatorId(), node);
    return node.operatorId();
  }

  /** Replaces an operator with a node of the same id. */
  public void replaceOperator(StreamOperatorNode node) {
    if (!operators.containsKey(node.operatorId())) {
      throw new IllegalArgumentException("no operator " + node.operatorId() + " to replace");
    }
    operators.put(node.operatorId(), node);
  }

  /** Connects upstream to downstream. Ids are checked by {@link #validate()}. */
  public void connect(String upstreamId, String downstreamId) {
    edges.add(new Edge(Objects.requireNonNull(upstreamId), Objects.requireNonNull(downstreamId)));
  }

  /**
   * Replaces the connection {@code oldFrom -> to} by {@code newFrom -> to} in the same position,
   * so a join keeps its stream and reference inputs in order.
   */
  public void replaceInput(String to, String oldFrom, String newFrom) {
    int i = edges.indexOf(new Edge(oldFrom, to));
    if (i < 0) throw new IllegalArgumentException("no connection [" + oldFrom + ", " + to + "]");
    edges.set(i, new Edge(newFrom, to));
  }

  /** Removes an operator and every connection touching it. */
  public void removeOperator(String id) {
    operators.remove(id);
    edges.removeIf(e -> e.from.equals(id) || e.to.equals(id));
  }

  /**
   * Puts a new single-input operator on the connection {@code from -> to}:
   * {@code from -> node -> to}, keeping the connection's position among {@code to}'s inputs.
   */
  public void insertBetween(String from, String to, StreamOperatorNode node) {
    addOperator(node);
    replaceInput(to, from, node.operatorId());
    connect(from, node.operatorId());
  }

  /**
   * Takes a single-input operator out of the graph, connecting its input straight to its output.
   */
  public void bypass(String id) {
    String in = inputs(id).get(0);
    List<String> out = outputs(id);
    for (String o : out) replaceInput(o, id, in);
    edges.remove(new Edge(in, id));
    operators.remove(id);
  }

  public Collection<StreamOperatorNode> operators() {
    return Collections.unmodifiableCollection(operators.values());
  }

  public StreamOperatorNode operator(String id) {
    return operators.get(id);
  }

  public boolean contains(String id) {
    return operators.containsKey(id);
  }

  public List<Edge> edges() {
    return Collections.unmodifiableList(edges);
  }

  /** The operators feeding {@code id}, in connection order (for a join: stream, then reference). */
  public List<String> inputs(String id) {
    return edges.stream().filter(e -> e.to.equals(id)).map(Edge::from).collect(Collectors.toList());
  }

  /** The operators fed by {@code id}. */
  public List<String> outputs(String id) {
    return edges.stream().filter(e -> e.from.equals(id)).map(Edge::to).collect(Collectors.toList());
  }

  public List<StreamOperatorNode> operatorsOfType(OperatorType type) {
    return operators.values().stream().filter(n -> n.operatorType() == type)
        .collect(Collectors.toList());
  }

  /** A deep copy (nodes are immutable, so they are shared). */
  public JobGraph copy() {
    JobGraph g = new JobGraph(jobName);
    g.operators.putAll(operators);
    g.edges.addAll(edges);
    g.baseDirectory = baseDirectory;
    return g;
  }

  /**
   * Checks the structure and throws one {@link InvalidJobException} listing every problem: unknown
   * ids in connections, wrong input counts, an operator feeding several others, cycles, and a job
   * without a sink.
   */
  public void validate() {
    List<String> problems = new ArrayList<>();
    if (operators.isEmpty()) problems.add("job " + jobName + " has no operators");
    for (Edge e : edges) {
      for (String end : List.of(e.from, e.to)) {
        if (!operators.containsKey(end)) {
          problems.add("connection [" + e.from + ", " + e.to + "] names operator=" + end
              + " which does not exist; operators: " + String.join(", ", operators.keySet()));
        }
      }
      if (e.from.equals(e.to)) problems.add("operator " + e.from + " is connected to itself");
    }
    for (StreamOperatorNode node : operators.values()) {
      List<String> in = inputs(node.operatorId());
      int expected = node.operatorType().inputCount();
      if (in.size() != expected) problems.add(inputCountProblem(node, in, expected));
      if (node.operatorType() == OperatorType.SINK && !outputs(node.operatorId()).isEmpty()) {
        problems.add("SINK " + node.operatorId() + " feeds " + outputs(node.operatorId())
            + "; a sink is the end of a pipeline");
      }
      List<String> out = outputs(node.operatorId());
      if (out.size() > 1) {
        problems.add("operator " + node.operatorId() + " feeds " + out.size() + " operators ("
            + String.join(", ", out) + "); each operator may feed one other operator");
      }
    }
    if (operatorsOfType(OperatorType.SINK).isEmpty() && !operators.isEmpty()) {
      problems.add("job " + jobName + " has no SINK; add one (path, stdout or discard) to say "
          + "where the enriched rows go");
    }
    String cycle = findCycle();
    if (cycle != null) problems.add("the connections form a cycle: " + cycle);
    if (!problems.isEmpty()) throw new InvalidJobException(problems);
  }

  private String inputCountProblem(StreamOperatorNode node, List<String> in, int expected) {
    String id = node.operatorId();
    switch (node.operatorType()) {
      case SOURCE:
        return "SOURCE " + id + " has inputs " + in + "; a source reads data and takes no input";
      case HASH_JOIN:
        return "HASH_JOIN " + id + " has " + in.size() + " input(s) " + in
            + "; a join needs exactly 2: first the stream, then the reference table";
      default:
        return node.operatorType() + " " + id + " has " + in.size() + " inputs " + in
            + "; it needs exactly " + expected;
    }
  }

  /** A cycle as "a -> b -> a", or null. */
  private String findCycle() {
    Map<String, Integer> state = new HashMap<>(); // 1 = on the stack, 2 = done
    for (String id : operators.keySet()) {
      List<String> path = new ArrayList<>();
      String c = visit(id, state, path);
      if (c != null) return c;
    }
    return null;
  }

  private String visit(String id, Map<String, Integer> state, List<String> path) {
    Integer s = state.get(id);
    if (s != null && s == 2) return null;
    if (s != null && s == 1) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
      cycle.add(id);
      return String.join(" -> ", cycle);
    }
    state.put(id, 1);
    path.add(id);
    for (String next : outputs(id)) {
      if (!operators.containsKey(next)) continue;
      String c = visit(next, state, path);
      if (c != null) return c;
    }
    path.remove(path.size() - 1);
    state.put(id, 2);
    return null;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof JobGraph)) return false;
    JobGraph g = (JobGraph) o;
    return jobName.equals(g.jobName) && new ArrayList<>(operators.values())
        .equals(new ArrayList<>(g.operators.values())) && edges.equals(g.edges);
  }

  @Override
  public int hashCode() {
    return Objects.hash(jobName, operators, edges);
  }

  @Override
  public String toString() {
    return "JobGraph " + jobName + " " + operators.values() + " " + edges;
  }
}
