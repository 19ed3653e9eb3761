package io.orchestrationplane.core.model;

/**
 * What continuous mode does when a managed object drifts (a field the plane sets was changed, or
 * the object deleted, out of band) while the desired state stayed the same.
 */
public enum DriftPolicy {
  /** Restore the desired state (the default). */
  CORRECT,
  /** Only report it: status shows the drift and nothing is written. New desired states are still applied. */
  REPORT
}
