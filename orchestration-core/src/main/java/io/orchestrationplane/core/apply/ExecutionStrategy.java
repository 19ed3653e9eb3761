package io.orchestrationplane.core.apply;

import io.orchestrationplane.core.plan.Plan;
import java.util.Objects;

/**
 * How an admitted plan is executed: the seam for rollout strategies. The plane hands a strategy
 * the plan and a {@link Writer} that executes a plan (or a part of it, see {@link
 * Plan#onClusters}) in dependency order, with the plane's own gates (readiness of dependencies,
 * the drift-correction guard) and preconditions on every write. The default writes everything
 * at once; a strategy may instead write cluster by cluster, check health or metrics between
 * steps, and stop early. Whatever it does, each write goes through the writer: a strategy cannot
 * bypass admission, ownership checks or preconditions.
 *
 * <pre>{@code
 * // one cluster after the other, stopping at the first that fails
 * ExecutionStrategy waves = (plan, writer) -> {
 *   List<ExecutionResult> done = new ArrayList<>();
 *   for (String cluster : plan.clusters()) {
 *     ExecutionResult r = writer.write(plan.onClusters(Set.of(cluster)), Executor.Gate.OPEN);
 *     done.add(r);
 *     if (!r.succeeded()) break;
 *   }
 *   return ExecutionResult.combine(plan, done);
 * };
 * }</pre>
 */
@FunctionalInterface
public interface ExecutionStrategy {

  /** Executes {@code plan} through {@code writer}, returning what was done (parts combined). */
  ExecutionResult execute(Plan plan, Writer writer);

  /** Writes (a part of) the plan being executed. */
  @FunctionalInterface
  interface Writer {
    /**
     * Executes {@code part}, holding back (WAITING) what {@code hold} holds besides what the
     * plane holds back itself. The live state is checked first: a stale part throws {@link
     * StalePlanException} and writes nothing.
     */
    ExecutionResult write(Plan part, Executor.Gate hold);
  }

  /** Every change in one pass, in dependency order: the default. */
  static ExecutionStrategy allAtOnce() {
    return AllAtOnce.INSTANCE;
  }

  /** The default strategy. */
  final class AllAtOnce implements ExecutionStrategy {
    static final AllAtOnce INSTANCE = new AllAtOnce();

    private AllAtOnce() {}

    @Override
    public ExecutionResult execute(Plan plan, Writer writer) {
      return Objects.requireNonNull(writer, "writer").write(plan, Executor.Gate.OPEN);
    }

    @Override
    public String toString() {
      return "ExecutionStrategy.allAtOnce()";
    }
  }
}
