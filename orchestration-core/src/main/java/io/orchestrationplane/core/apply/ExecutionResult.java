package io.orchestrationplane.core.apply;

import io.orchestrationplane.core.plan.Plan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What executing a plan did, change by change. When a change failed, {@link #failure()} names it
 * and its cause, the later changes of its cluster are SKIPPED (other clusters go on unless the
 * executor stops on the first failure), and a new plan + apply converges from there.
 */
public record ExecutionResult(Plan plan, List<Outcome> outcomes, List<Outcome> inventory) {
  public ExecutionResult {
    outcomes = List.copyOf(outcomes);
    inventory = List.copyOf(inventory);
  }

  /** A result without inventory writes. */
  public ExecutionResult(Plan plan, List<Outcome> outcomes) {
    this(plan, outcomes, List.of());
  }

  /**
   * One result for {@code plan} from the results of executing parts of it (an execution
   * strategy's steps), outcomes in the order the parts ran. A change of the plan that no part
   * executed is SKIPPED, naming the first failure when there was one.
   */
  public static ExecutionResult combine(Plan plan, List<ExecutionResult> parts) {
    List<Outcome> outcomes = new ArrayList<>();
    List<Outcome> inventory = new ArrayList<>();
    java.util.Set<io.orchestrationplane.core.resource.ResourceKey> done = new java.util.HashSet<>();
    for (ExecutionResult part : parts) {
      for (Outcome o : part.outcomes()) {
        if (done.add(o.change().key())) {
          outcomes.add(o);
        }
      }
      inventory.addAll(part.inventory());
    }
    Optional<Outcome> failed = outcomes.stream().filter(Outcome::isFailure).findFirst();
    for (io.orchestrationplane.core.plan.Change c : plan.changes()) {
      if (!done.contains(c.key())) {
        String why = failed.map(f -> "not attempted: " + f.change().key().display() + " (cluster " + f.cluster()
            + ") failed first").orElse("not attempted: the execution strategy stopped before it");
        outcomes.add(new Outcome(c, c.isWrite() ? new WriteResult.Skipped(why) : new WriteResult.Unchanged()));
      }
    }
    return new ExecutionResult(plan, outcomes, inventory);
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

  /**
   * The first change that failed or was refused as a conflict, if one did; a failed write of the
   * inventory counts (it stops its cluster's writes).
   */
  public Optional<Outcome> failure() {
    Optional<Outcome> inv = inventory.stream().filter(Outcome::isFailure).findFirst();
    return inv.isPresent() ? inv : outcomes.stream().filter(Outcome::isFailure).findFirst();
  }

  /** Every write that failed or was refused as a conflict: inventory writes first, then changes in plan order. */
  public List<Outcome> failures() {
    List<Outcome> out = new ArrayList<>(inventory.stream().filter(Outcome::isFailure).toList());
    out.addAll(outcomes.stream().filter(Outcome::isFailure).toList());
    return List.copyOf(out);
  }

  /** The outcomes of each cluster, clusters in the order of their first change. */
  public Map<String, List<Outcome>> byCluster() {
    Map<String, List<Outcome>> out = new LinkedHashMap<>();
    for (Outcome o : outcomes) {
      out.computeIfAbsent(o.cluster(), c -> new ArrayList<>()).add(o);
    }
    out.replaceAll((c, l) -> List.copyOf(l));
    return Collections.unmodifiableMap(out);
  }

  /** True when no write on {@code cluster} failed. */
  public boolean succeeded(String cluster) {
    return failures().stream().noneMatch(o -> o.cluster().equals(cluster));
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
