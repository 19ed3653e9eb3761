package io.orchestrationplane.policy.internal;

/**
 * The runtime cost of one binding evaluation, charged as Kubernetes charges it (cel-go's runtime cost tracker with
 * Kubernetes' library costs, see {@link CostPlan}): every expression's cost counts against the binding's budget
 * ({@code RuntimeCELCostBudget}, 10,000,000 by default) and each expression alone against the per-expression limit
 * ({@code PerCallLimit}, 1,000,000). Not thread-safe: one meter per binding evaluation.
 */
public final class CostMeter {
  private final long budget;
  private final long perCallLimit;
  private long spent;
  private boolean budgetExceeded;

  /**
   * @param budget cost allowed for all expressions together, 0 = unlimited
   * @param perCallLimit cost allowed for one expression evaluation, 0 = unlimited
   */
  public CostMeter(long budget, long perCallLimit) {
    this.budget = budget;
    this.perCallLimit = perCallLimit;
  }

  /** Whether the budget is used up: the rest of the binding's evaluation is abandoned, as in Kubernetes. */
  public boolean exhausted() {
    return budgetExceeded;
  }

  /** Cost spent by finished expressions. */
  public long spent() {
    return spent;
  }

  long budget() {
    return budget;
  }

  long perCallLimit() {
    return perCallLimit;
  }

  /** Adds a finished expression's cost; returns false when that used up the budget. */
  boolean settle(long cost) {
    spent = spent + cost < 0 ? Long.MAX_VALUE : spent + cost;
    if (budget > 0 && spent > budget) {
      budgetExceeded = true;
    }
    return !budgetExceeded;
  }

  /** Cost left in the budget, given {@code pending} not yet settled; {@link Long#MAX_VALUE} when unlimited. */
  long budgetLeft(long pending) {
    return budget <= 0 ? Long.MAX_VALUE : budget - spent - pending;
  }

  void markExceeded() {
    budgetExceeded = true;
  }

  /** Thrown from inside an evaluation to stop it. */
  public static final class Exceeded extends RuntimeException {
    private final boolean budget;

    Exceeded(boolean budget) {
      super(budget ? BUDGET_MESSAGE : PER_CALL_MESSAGE, null, false, false);
      this.budget = budget;
    }

    /** True when the binding's budget ran out, false when one expression exceeded the per-expression limit. */
    public boolean budget() {
      return budget;
    }
  }

  /** The API server's message when a binding's budget runs out. */
  public static final String BUDGET_MESSAGE =
      "validation failed due to running out of cost budget, no further validation rules will be run";
  /** cel-go's message when one expression exceeds the per-expression cost limit. */
  public static final String PER_CALL_MESSAGE = "operation cancelled: actual cost limit exceeded";
}
