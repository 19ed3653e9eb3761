package io.orchestrationplane.core.status;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the last look at an application found, as a closed set of cases: the input of {@link
 * StatusRules#decide}, which turns it into a phase and conditions. The reconciler (and a one-off
 * {@code status(app)}) gather the facts; the rules alone decide what they mean.
 */
public sealed interface Situation {

  /** Submitted, not reconciled yet. */
  record Pending() implements Situation {}

  /** Every desired object is present, in sync and healthy. */
  record Converged() implements Situation {}

  /**
   * Written (or nothing to write), not healthy yet: PROGRESSING until {@code deadline} has
   * {@code elapsed}, then DEGRADED.
   *
   * @param blocking the component, object and cause that hold it up
   * @param waitingForDependencies true when changes wait for components they depend on
   * @param elapsed how long the application has been unhealthy since its last change
   * @param deadline the progress deadline
   */
  record Progressing(String blocking, boolean waitingForDependencies, Duration elapsed, Duration deadline)
      implements Situation {
    public Progressing {
      Objects.requireNonNull(blocking, "blocking");
      Objects.requireNonNull(elapsed, "elapsed");
      Objects.requireNonNull(deadline, "deadline");
    }
  }

  /** A one-off status: desired objects differ from the clusters ({@code summary} says how). */
  record OutOfSync(String summary) implements Situation {}

  /**
   * A one-off status: in sync but not healthy; DEGRADED when an object's health is degraded or
   * the plane's last write of one failed, PROGRESSING otherwise.
   */
  record Unhealthy(String message, boolean degraded) implements Situation {}

  /** The application is invalid (or cannot be rendered). */
  record Invalid(String message) implements Situation {}

  /** An admission policy denied a write. */
  record Denied(@Nullable String message) implements Situation {}

  /**
   * The change would delete past the prune circuit breaker; nothing of it was written (the
   * message names the counts).
   */
  record PruneRefused(String message) implements Situation {}

  /** Drift was found and the application's drift policy says only report it. */
  record DriftReported(String message) implements Situation {}

  /** The clusters changed between planning and writing; planned again. */
  record StalePlan(String message) implements Situation {}

  /** Another writer keeps undoing the plane's corrections of an object. */
  record FightingWriter(String message) implements Situation {}

  /** Writes of an object do not stick: the cluster keeps changing what the plane writes. */
  record WriteLoop(String message) implements Situation {}

  /** A write failed after {@code written} of {@code planned} writes. */
  record ApplyFailed(String message, int written, int planned) implements Situation {}

  /**
   * The plan could not be completed (unreadable clusters, objects owned by others). When the
   * problems are only failed reads of a converged application and this is one of its first
   * {@code attempt}s, it stays READY: one throttled resync is not a change of state.
   */
  record PlanProblems(String message, boolean unreadableOnly, int attempt) implements Situation {}

  /** Reconciling threw; {@code removing} when it happened while pruning. */
  record ReconcileError(String message, boolean removing) implements Situation {}

  /** Removal in progress; {@code blocked} when a cluster or a delete fails rather than just being slow. */
  record Removing(String message, boolean blocked) implements Situation {}

  /** An admission policy denied a delete of the removal. */
  record RemovalDenied(@Nullable String message) implements Situation {}

  /** Every object is gone; {@code message} lists any kept on purpose. */
  record Removed(String message) implements Situation {}
}
