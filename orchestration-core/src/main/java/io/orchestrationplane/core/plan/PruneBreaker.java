package io.orchestrationplane.core.plan;

import java.util.Optional;

/**
 * The prune circuit breaker of every apply: how many of an application's objects one change may
 * delete before the plane refuses it. A desired state that suddenly renders much less (an emptied
 * source, a broken template, a wrong environment) usually means a mistake, not an intent to delete
 * production (argo-cd issues 18480, 18780, 14318): the plane then writes nothing of the change
 * and says how many objects it would have deleted, until the change is applied again with
 * {@link PruneConsent#CONFIRMED}. The vocabulary is gitops' {@code PruneGuard}'s, one level down:
 * objects of one application instead of applications of one source.
 *
 * <p>A plan may delete {@code d} of the {@code n} objects the application owns on the clusters it
 * could read when its desired state still holds at least one object (or {@code
 * allowEmptyDesiredState}) and {@code d <= max(deletesAlwaysAllowed, floor(maxDeleteFraction × n))}.
 * With the defaults (1, 0.5, false): 1 of 2 may go, 2 of 4, 2 of 3 may not, and never all of them
 * because the desired state became empty.
 *
 * @param deletesAlwaysAllowed deletions allowed whatever the fraction (so that renaming the only
 *     object of a small application is not refused), at least 0
 * @param maxDeleteFraction the fraction of owned objects one change may delete, 0 to 1
 * @param allowEmptyDesiredState whether a desired state of no object at all may delete everything
 */
public record PruneBreaker(int deletesAlwaysAllowed, double maxDeleteFraction, boolean allowEmptyDesiredState) {
  private static final PruneBreaker DEFAULTS = new PruneBreaker(1, 0.5, false);

  public PruneBreaker {
    if (deletesAlwaysAllowed < 0) {
      throw new IllegalArgumentException("deletesAlwaysAllowed must be at least 0, was " + deletesAlwaysAllowed);
    }
    if (!(maxDeleteFraction >= 0 && maxDeleteFraction <= 1)) {
      throw new IllegalArgumentException("maxDeleteFraction must be between 0 and 1, was " + maxDeleteFraction);
    }
  }

  /** One deletion always allowed, at most half of the owned objects, never all through an empty desired state. */
  public static PruneBreaker defaults() {
    return DEFAULTS;
  }

  /** No breaker: every planned deletion goes through. */
  public static PruneBreaker disabled() {
    return new PruneBreaker(Integer.MAX_VALUE, 1.0, true);
  }

  /**
   * Why the plan's deletions trip the breaker, or empty when they may go through. Counts the
   * plan's DELETEs against the objects the application owns in the plan (updated, unchanged and
   * deleted ones; objects to create are not owned yet).
   */
  public Optional<Tripped> check(Plan plan) {
    int deletes = 0;
    int owned = 0;
    int desired = 0;
    for (Change c : plan.changes()) {
      switch (c.type()) {
        case DELETE -> {
          deletes++;
          owned++;
        }
        case CREATE -> desired++;
        case UPDATE, UNCHANGED -> {
          owned++;
          desired++;
        }
      }
    }
    if (deletes == 0) {
      return Optional.empty();
    }
    long allowed = (long) Math.max(deletesAlwaysAllowed, Math.floor(maxDeleteFraction * owned));
    if (desired == 0 && !allowEmptyDesiredState) {
      return Optional.of(new Tripped(plan.application(), deletes, owned, allowed, true));
    }
    return deletes > allowed ? Optional.of(new Tripped(plan.application(), deletes, owned, allowed, false))
        : Optional.empty();
  }

  /**
   * A change the breaker refused.
   *
   * @param application the application
   * @param deletes how many objects the change would delete
   * @param owned how many objects the application owns on the clusters the plan read
   * @param allowed how many one change may delete
   * @param desiredStateEmpty true when the change renders no object at all
   */
  public record Tripped(String application, int deletes, int owned, long allowed, boolean desiredStateEmpty) {
    /** {@code deleting 3 of 4 objects of shop.shop exceeds the prune circuit breaker (at most 2); ...}. */
    public String message() {
      String what = desiredStateEmpty
          ? "the desired state of " + application + " holds no object: deleting all " + deletes + " of its " + owned
              + " objects is refused by the prune circuit breaker"
          : "deleting " + deletes + " of " + owned + " objects of " + application
              + " exceeds the prune circuit breaker (at most " + allowed + ")";
      return what + "; nothing of this change was written: apply it with PruneConsent.CONFIRMED if the deletions "
          + "are meant";
    }
  }
}
