package io.orchestrationplane.core.status;

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
  /**
   * Removed from the plane; its objects are being pruned. The Degraded condition names the
   * cluster and the error while a cluster cannot be read or an object cannot be deleted, and the
   * plane keeps retrying: it never forgets an application whose objects may still exist.
   */
  REMOVING,
  /**
   * Every object the application owned is gone from every cluster (those marked keep-on-remove
   * excepted, which the status lists), and so is its inventory.
   */
  REMOVED
}
