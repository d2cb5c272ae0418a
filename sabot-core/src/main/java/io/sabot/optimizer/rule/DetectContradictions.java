package io.sabot.optimizer.rule;

import io.sabot.expr.CompareOp;
import io.sabot.expr.Condition;
import io.sabot.expr.Conditions;
import io.sabot.graph.FilterSpec;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.optimizer.OptimizerRule;
import io.sabot.optimizer.PlanContext;
import io.sabot.optimizer.RuleOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Finds filters that can never all be true on one column ({@code price > 100} and
 * {@code price < 50}; {@code sym == 'A'} and {@code sym == 'B'}) within a chain of consecutive
 * FILTERs, and warns: the job would read its whole input to emit nothing. The plan is left as it
 * is (it is correct, just empty); explain and the run summary show the warning.
 */
public final class DetectContradictions implements OptimizerRule {
  @Override
  public RuleOutcome apply(JobGraph plan, PlanContext context) {
    RuleOutcome outcome = RuleOutcome.unchanged(plan);
    for (StreamOperatorNode f : plan.operatorsOfType(OperatorType.FILTER)) {
      String below = plan.outputs(f.operatorId()).isEmpty() ? null : plan.outputs(f.operatorId()).get(0);
      if (below != null && plan.operator(below).operatorType() == OperatorType.FILTER) continue;
      List<StreamOperatorNode> chain = new ArrayList<>();
      for (String id = f.operatorId(); plan.operator(id).operatorType() == OperatorType.FILTER;
           id = plan.inputs(id).get(0)) {
        chain.add(plan.operator(id));
      }
      check(chain, outcome);
    }
    return outcome;
  }

  private static void check(List<StreamOperatorNode> chain, RuleOutcome outcome) {
    Map<String, List<Condition.Predicate>> byColumn = new LinkedHashMap<>();
    Map<Condition.Predicate, String> owner = new LinkedHashMap<>();
    for (StreamOperatorNode f : chain) {
      for (Condition c : Conditions.conjuncts(f.spec(FilterSpec.class).condition())) {
        if (c instanceof Condition.Predicate) {
          Condition.Predicate p = (Condition.Predicate) c;
          byColumn.computeIfAbsent(p.column(), k -> new ArrayList<>()).add(p);
          owner.put(p, f.operatorId());
        }
      }
    }
    for (Map.Entry<String, List<Condition.Predicate>> e : byColumn.entrySet()) {
      List<Condition.Predicate> ps = e.getValue();
      for (int i = 0; i < ps.size(); i++) {
        for (int j = i + 1; j < ps.size(); j++) {
          if (disjoint(ps.get(i), ps.get(j))) {
            String top = chain.get(0).operatorId();
            outcome.warn("filters " + owner.get(ps.get(i)) + " (" + ps.get(i) + ") and "
                + owner.get(ps.get(j)) + " (" + ps.get(j) + ") can never both be true: "
                + "no row passes " + top + "; check the conditions")
                .count("contradictions", 1);
            return;
          }
        }
      }
    }
  }

  /** True when no single value satisfies both predicates. */
  static boolean disjoint(Condition.Predicate a, Condition.Predicate b) {
    if (a.op() == CompareOp.IS_NULL || b.op() == CompareOp.IS_NULL) {
      CompareOp other = a.op() == CompareOp.IS_NULL ? b.op() : a.op();
      return other != CompareOp.IS_NULL; // every other test is false on null
    }
    if (a.op() == CompareOp.EQ && b.op() == CompareOp.EQ) return !same(a.value(), b.value());
    if (a.op() == CompareOp.EQ && b.op() == CompareOp.NE || a.op() == CompareOp.NE && b.op() == CompareOp.EQ) {
      return same(a.value(), b.value());
    }
    if (a.value() instanceof Number && b.value() instanceof Number) {
      double[] ra = range(a);
      double[] rb = range(b);
      if (ra == null || rb == null) return false;
      double lo = Math.max(ra[0], rb[0]);
      double hi = Math.min(ra[1], rb[1]);
      boolean loOpen = (ra[0] == lo && ra[2] == 1) || (rb[0] == lo && rb[2] == 1);
      boolean hiOpen = (ra[1] == hi && ra[3] == 1) || (rb[1] == hi && rb[3] == 1);
      return lo > hi || (lo == hi && (loOpen || hiOpen));
    }
    return false;
  }

  /** [low, high, lowOpen, highOpen] of the values a numeric predicate accepts, or null. */
  private static double[] range(Condition.Predicate p) {
    double v = ((Number) p.value()).doubleValue();
    double inf = Double.POSITIVE_INFINITY;
    switch (p.op()) {
      case EQ: return new double[] {v, v, 0, 0};
      case GT: return new double[] {v, inf, 1, 0};
      case GE: return new double[] {v, inf, 0, 0};
      case LT: return new double[] {-inf, v, 0, 1};
      case LE: return new double[] {-inf, v, 0, 0};
      default: return null;
    }
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof Number && b instanceof Number) {
      return ((Number) a).doubleValue() == ((Number) b).doubleValue();
    }
    return Objects.equals(a, b);
  }
}
