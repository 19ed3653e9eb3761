package io.orchestrationplane.core;

/** The one-word summary of an application's (or environment's) state. */
public enum Phase {
  /** Submitted, not reconciled yet. */
  PENDING,
  /** Changes are being written (or wait to be written). */
  PROGRESSING,
  /** Everything desired is present and in sync. */
  READY,
  /** Convergence is blocked; the Degraded condition says why. */
  DEGRADED,
  /** Removed from the plane; its objects are being pruned. */
  DELETING
}
