package io.sabot.optimizer;

import io.sabot.connect.SourceCatalog;
import io.sabot.graph.JobGraph;
import io.sabot.types.Schema;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What rules may ask about a plan: every operator's output schema (derived by the
 * {@link SchemaResolver} from the job's {@link SourceCatalog}, so each source is created once per
 * job however many plans the rules build), cached per plan object.
 */
public final class PlanContext {
  private final SourceCatalog sources;
  private final SchemaResolver resolver;
  private final Map<JobGraph, Map<String, Schema>> schemas = new IdentityHashMap<>();

  /** A context with a catalog of its own. */
  public PlanContext() {
    this(new SourceCatalog());
  }

  /** A context whose schemas come from the job's {@code sources}. */
  public PlanContext(SourceCatalog sources) {
    this.sources = sources;
    this.resolver = new SchemaResolver(sources);
  }

  /** The job's sources, each created once. */
  public SourceCatalog sources() {
    return sources;
  }

  /** The output schema of every operator of {@code plan}. */
  public Map<String, Schema> schemas(JobGraph plan) {
    return schemas.computeIfAbsent(plan, resolver::resolve);
  }

  public Schema schema(JobGraph plan, String operatorId) {
    Schema s = schemas(plan).get(operatorId);
    if (s == null) {
      throw new IllegalStateException("no schema for operator " + operatorId);
    }
    return s;
  }
}
