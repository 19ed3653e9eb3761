package io.orchestrationplane.core.apply;

import io.orchestrationplane.core.plan.Plan;
import java.util.List;
import java.util.Optional;

/**
 * What executing a plan did, change by change. When a change failed, {@link #failure()} names it
 * and its cause, later changes are SKIPPED, and a new plan + apply converges from there.
 */
public record ExecutionResult(Plan plan, List<Outcome> outcomes) {
  public ExecutionResult {
    outcomes = List.copyOf(outcomes);
  }

  /** True when every change was applied. */
  public boolean succeeded() {
    return failure().isEmpty();
  }

  /** The change that failed, if one did. */
  public Optional<Outcome> failure() {
    return outcomes.stream().filter(o -> o.status() == Outcome.Status.FAILED).findFirst();
  }

  /** How many objects were created, updated or deleted. */
  public long writes() {
    return outcomes.stream()
        .filter(o -> o.status() == Outcome.Status.APPLIED || o.status() == Outcome.Status.DELETED).count();
  }

  public List<Outcome> outcomes(Outcome.Status status) {
    return outcomes.stream().filter(o -> o.status() == status).toList();
  }

  @Override
  public String toString() {
    return failure().map(f -> "failed: " + f.message()).orElse("applied " + writes() + " change(s)");
  }
}
