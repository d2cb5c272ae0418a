package io.sabot.optimizer;

import io.sabot.graph.JobGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a rule produced: the new plan, one line per change (for explain), counters for the
 * statistics ({@code filters_pushed}, ...), and warnings for the user.
 */
public final class RuleOutcome {
  private final JobGraph plan;
  private final List<String> changes = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final Map<String, Long> counters = new LinkedHashMap<>();

  public RuleOutcome(JobGraph plan) {
    this.plan = plan;
  }

  public static RuleOutcome unchanged(JobGraph plan) {
    return new RuleOutcome(plan);
  }

  public JobGraph plan() {
    return plan;
  }

  public RuleOutcome change(String description) {
    changes.add(description);
    return this;
  }

  public RuleOutcome warn(String warning) {
    warnings.add(warning);
    return this;
  }

  public RuleOutcome count(String counter, long n) {
    counters.merge(counter, n, Long::sum);
    return this;
  }

  public List<String> changes() {
    return changes;
  }

  public List<String> warnings() {
    return warnings;
  }

  public Map<String, Long> counters() {
    return counters;
  }
}
