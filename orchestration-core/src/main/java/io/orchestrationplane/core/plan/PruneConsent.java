package io.orchestrationplane.core.plan;

/**
 * Whether a change's deletions are confirmed past the {@link PruneBreaker}: an option of one apply
 * or submit, never a setting of the plane.
 */
public enum PruneConsent {
  /** The breaker decides: a change deleting too much is refused (the default of every call). */
  GUARDED,
  /** A person confirmed the deletions of this change: the breaker lets it through. */
  CONFIRMED
}
