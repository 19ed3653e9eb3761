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

  /** True when no change failed (some may still be WAITING for their dependencies). */
  public boolean succeeded() {
    return failure().isEmpty();
  }

  /** True when every change was applied: none failed and none waits. */
  public boolean isComplete() {
    return succeeded() && waiting().isEmpty();
  }

  /** Changes held back until the components they depend on are healthy. */
  public List<Outcome> waiting() {
    return outcomes(Outcome.Status.WAITING);
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
    String waits = waiting().isEmpty() ? "" : ", " + waiting().size() + " waiting for dependencies";
    return failure().map(f -> "failed: " + f.message()).orElse("applied " + writes() + " change(s)" + waits);
  }
}
