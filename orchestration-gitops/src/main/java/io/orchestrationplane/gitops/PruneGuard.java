package io.orchestrationplane.gitops;

/**
 * The prune circuit breaker of a {@link GitSource} or fleet: how many of the applications it
 * applied may disappear from one sync to the next before removal is held for a person to confirm.
 * A source that suddenly yields much less (a deleted or emptied path, a broken generator, a
 * force-push to an unrelated history) usually means a mistake, not an intent to delete
 * production; like Argo CD, which does not prune when its sources fail, removal then stops.
 *
 * <p>A sync may remove {@code r} of the {@code n} applications it owns when the source still
 * yields at least one application (or {@code allowEmptySource}) and {@code r <= max(removalsAlwaysAllowed,
 * maxRemovalFraction × n)}. Otherwise it still creates and updates what the source yields, holds
 * every removal (status lists them) and removes them only on a sync that confirms the prune.
 *
 * @param removalsAlwaysAllowed removals allowed whatever the fraction (so that renaming the only
 *     application is not held), at least 0
 * @param maxRemovalFraction the fraction of owned applications one sync may remove, 0 to 1
 * @param allowEmptySource whether a source that yields no application at all may remove all of them
 */
public record PruneGuard(int removalsAlwaysAllowed, double maxRemovalFraction, boolean allowEmptySource) {
  private static final PruneGuard DEFAULTS = new PruneGuard(1, 0.5, false);

  public PruneGuard {
    if (removalsAlwaysAllowed < 0) {
      throw new IllegalArgumentException("removalsAlwaysAllowed must be at least 0, was " + removalsAlwaysAllowed);
    }
    if (!(maxRemovalFraction >= 0 && maxRemovalFraction <= 1)) {
      throw new IllegalArgumentException("maxRemovalFraction must be between 0 and 1, was " + maxRemovalFraction);
    }
  }

  /** One removal always allowed, at most half of the owned applications, never all through an empty source. */
  public static PruneGuard defaults() {
    return DEFAULTS;
  }

  /** No guard: the source's word is final, an empty source removes everything. */
  public static PruneGuard disabled() {
    return new PruneGuard(Integer.MAX_VALUE, 1.0, true);
  }

  /**
   * Why removing {@code removals} of {@code owned} applications is held, or null when allowed.
   *
   * @param yielded how many applications the source yields now
   */
  public @org.jspecify.annotations.Nullable String holds(int removals, int owned, int yielded) {
    if (removals == 0) {
      return null;
    }
    if (yielded == 0 && !allowEmptySource) {
      return "the source yields no application at all: removing all " + owned + " is held";
    }
    double allowed = Math.max(removalsAlwaysAllowed, Math.floor(maxRemovalFraction * owned));
    if (removals > allowed) {
      return "removing " + removals + " of " + owned + " applications exceeds the prune guard (at most "
          + (long) allowed + ")";
    }
    return null;
  }
}
