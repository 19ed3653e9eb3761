package io.orchestrationplane.policy.internal;

import dev.cel.common.ast.CelExpr;
import dev.cel.runtime.CelEvaluationListener;
import dev.cel.runtime.CelFunctionResolver;
import dev.cel.runtime.CelResolvedOverload;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The cost of one evaluation of one expression, tracked as cel-go's runtime cost tracker does: charged after each
 * sub-expression from the values it produced ({@link CostPlan}); functions whose results can be far larger than
 * their arguments are charged before they allocate ({@link MeteredFunctions}). Checks the expression against the
 * per-expression limit and, together with what the binding already spent, against the budget. Also the per-evaluation
 * resolver of {@link MeteredFunctions}. Not thread-safe.
 */
final class CostTracker implements CelEvaluationListener, CelFunctionResolver {
  private final CostMeter meter;
  private final CostPlan plan;
  private final Object @Nullable [] values;
  private long cost;
  /**
   * The cost at which a limit may be passed, as known when the evaluation started: charging compares against it
   * alone and recomputes the exact limits only when it is passed. Variables evaluated meanwhile may spend budget;
   * the binding's budget is then checked when this expression settles, as the API server checks it.
   */
  private long threshold;

  CostTracker(CostMeter meter, CostPlan plan) {
    this.meter = meter;
    this.plan = plan;
    this.values = plan.slots() == 0 ? null : new Object[plan.slots()];
    long perCall = meter.perCallLimit() > 0 ? meter.perCallLimit() : Long.MAX_VALUE;
    this.threshold = Math.min(perCall, meter.budgetLeft(0));
  }

  @Override public void callback(CelExpr expr, Object value) {
    int id = (int) expr.id();
    int slot = plan.slot(id);
    if (slot >= 0) {
      values[slot] = value;
    }
    long c = plan.cost(id, values, value);
    cost += c;
    if (cost > threshold || cost < 0) {
      checkLimits();
    }
    if ((value instanceof String || value instanceof List) && plan.isCall(id)) {
      checkResultSize(value);
    }
  }

  /**
   * Refuses a result no later expression could afford to read: a string longer than ten times, or a list longer
   * than, the cost still available (the API server would allocate it; see docs/policy.md).
   */
  private void checkResultSize(Object value) {
    if (value instanceof String s ? s.length() > 1024 && s.length() / 10 > available()
        : ((List<?>) value).size() > 1024 && ((List<?>) value).size() > available()) {
      throw exceeded();
    }
  }

  /** Charges {@code c} now; throws {@link CostMeter.Exceeded} when a limit is passed. */
  void charge(long c) {
    cost += c;
    checkLimits();
  }

  private void checkLimits() {
    if (cost < 0) {
      cost = Long.MAX_VALUE;
    }
    if (meter.budgetLeft(cost) < 0) {
      meter.markExceeded();
      throw new CostMeter.Exceeded(true);
    }
    if (meter.perCallLimit() > 0 && cost > meter.perCallLimit()) {
      throw new CostMeter.Exceeded(false);
    }
    long perCall = meter.perCallLimit() > 0 ? meter.perCallLimit() : Long.MAX_VALUE;
    threshold = Math.min(perCall, meter.budgetLeft(0));
  }

  /** Charges, before allocation, a result of {@code size} characters or elements (see {@link #checkResultSize}). */
  void reserve(long size, boolean characters) {
    if ((characters ? size / 10 : size) > available()) {
      throw exceeded();
    }
  }

  private CostMeter.Exceeded exceeded() {
    boolean budget = meter.perCallLimit() <= 0 || meter.budgetLeft(cost) < meter.perCallLimit() - cost;
    if (budget) {
      meter.markExceeded();
    }
    return new CostMeter.Exceeded(budget);
  }

  /** Cost still available to this expression. */
  long available() {
    long perCall = meter.perCallLimit() > 0 ? meter.perCallLimit() - cost : Long.MAX_VALUE;
    return Math.min(perCall, meter.budgetLeft(cost));
  }

  /** Adds this expression's cost to the binding's; call once when the evaluation ends, however it ends. */
  void settle() {
    meter.settle(cost);
  }

  long cost() {
    return cost;
  }

  @Override public Optional<CelResolvedOverload> findOverloadMatchingArgs(String functionName, Object[] args) {
    return MeteredFunctions.resolve(this, functionName, null, args);
  }

  @Override public Optional<CelResolvedOverload> findOverloadMatchingArgs(String functionName,
      Collection<String> overloadIds, Object[] args) {
    return MeteredFunctions.resolve(this, functionName, overloadIds, args);
  }
}
