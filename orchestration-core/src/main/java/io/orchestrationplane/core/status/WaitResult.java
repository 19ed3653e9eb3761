package io.orchestrationplane.core.status;

import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.Outcome;
import io.orchestrationplane.core.health.HealthStatus;
import io.orchestrationplane.core.plan.PlanProblem;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.time.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How {@code OrchestrationPlane.applyAndWait} ended: every cluster {@link Ready ready}, a write
 * {@link Failed failed}, or the timeout passed with objects still {@link TimedOut waiting}, each
 * named with its cluster and its health message.
 *
 * <pre>{@code
 * WaitResult done = plane.applyAndWait(app, Duration.ofMinutes(5));
 * if (!done.isReady()) {
 *   System.err.print(done.toText());   // timed out after 5m: prod: Deployment shop/api: PROGRESSING: ...
 * }
 * }</pre>
 */
public sealed interface WaitResult {

  /** The last execution: every write of the first apply and of the rounds that applied what was held back. */
  ExecutionResult result();

  /** How long the plane waited, on its clock. */
  Duration waited();

  /** True for {@link Ready}. */
  default boolean isReady() {
    return this instanceof Ready;
  }

  /** What is still waiting: empty unless {@link TimedOut}. */
  default List<Pending> pending() {
    return List.of();
  }

  /** The result for people: a headline, then what is still waiting or what failed, one per line. */
  String toText();

  /**
   * One desired object that is not ready yet.
   *
   * @param key the object, with its cluster
   * @param health its health, with the assessor's message ({@code MISSING} when absent, {@code
   *     UNKNOWN} when its cluster could not be read)
   * @param reason why it is not ready beyond health: {@code not applied yet: waits for db: ...},
   *     {@code drifted (1 field)}, or empty
   */
  record Pending(ResourceKey key, HealthStatus health, String reason) {
    public Pending {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(health, "health");
      Objects.requireNonNull(reason, "reason");
    }

    /** {@code prod: Deployment shop/api: PROGRESSING: 1/2 replicas ready}. */
    @Override
    public String toString() {
      return key.cluster() + ": " + key.display() + ": " + health + (reason.isEmpty() ? "" : " (" + reason + ")");
    }
  }

  /** Every write succeeded and every desired object on every placed cluster is healthy and in sync. */
  record Ready(ExecutionResult result, Duration waited) implements WaitResult {
    public Ready {
      Objects.requireNonNull(result, "result");
      Objects.requireNonNull(waited, "waited");
    }

    @Override
    public String toText() {
      return "ready after " + Durations.human(waited) + ": application " + result.plan().application()
          + ", every cluster healthy\n";
    }
  }

  /** A write failed or conflicted; nothing more was waited for. {@link ExecutionResult#failure()} says which. */
  record Failed(ExecutionResult result, Duration waited) implements WaitResult {
    public Failed {
      Objects.requireNonNull(result, "result");
      Objects.requireNonNull(waited, "waited");
      if (result.succeeded()) {
        throw new IllegalArgumentException("a failed wait needs a failed execution");
      }
    }

    @Override
    public String toText() {
      StringBuilder sb = new StringBuilder("failed after ").append(Durations.human(waited)).append(": application ")
          .append(result.plan().application()).append('\n');
      for (Outcome o : result.failures()) {
        sb.append("  ").append(o).append('\n');
      }
      return sb.toString();
    }
  }

  /**
   * The timeout passed first; {@link #pending()} names every object still waiting, {@code
   * problems} what the plan could not do (an unreachable cluster, an object another application
   * owns).
   */
  record TimedOut(ExecutionResult result, Duration waited, List<Pending> pending, List<PlanProblem> problems)
      implements WaitResult {
    public TimedOut {
      Objects.requireNonNull(result, "result");
      Objects.requireNonNull(waited, "waited");
      pending = List.copyOf(pending);
      problems = List.copyOf(problems);
    }

    @Override
    public String toText() {
      StringBuilder sb = new StringBuilder("timed out after ").append(Durations.human(waited)).append(": application ")
          .append(result.plan().application()).append(", ").append(pending.size())
          .append(pending.size() == 1 ? " object" : " objects").append(" not ready\n");
      for (Pending p : pending) {
        sb.append("  ").append(p).append('\n');
      }
      for (PlanProblem p : problems) {
        sb.append("  ").append(p).append('\n');
      }
      return sb.toString();
    }
  }
}
