package io.orchestrationplane.policy.internal;

import dev.cel.common.ast.CelExpr;
import dev.cel.runtime.CelEvaluationListener;

/**
 * Counts evaluation cost against a budget: one unit per evaluated sub-expression, plus the size of
 * strings and lists produced (so that building large values costs as in Kubernetes' runtime cost model,
 * approximately). Not thread-safe: one meter per evaluation.
 */
public final class CostMeter implements CelEvaluationListener {
  private final long budget;
  private long spent;

  public CostMeter(long budget) {
    this.budget = budget;
  }

  @Override public void callback(CelExpr expr, Object value) {
    long cost = 1;
    if (value instanceof String s) {
      cost += s.length() / 10;
    } else if (value instanceof java.util.List<?> l) {
      cost += l.size() / 10;
    }
    spent += cost;
    if (spent > budget) {
      throw new Exceeded(budget);
    }
  }

  public long spent() {
    return spent;
  }

  /** Thrown from inside the evaluation to stop it. */
  static final class Exceeded extends RuntimeException {
    Exceeded(long budget) {
      super("cost budget of " + budget + " exceeded (runtime cost limit; see PolicyEngine.Builder.costBudget)",
          null, false, false);
    }
  }
}
