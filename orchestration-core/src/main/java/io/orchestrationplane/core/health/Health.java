package io.orchestrationplane.core.health;

/**
 * How well a live object (or an application) works, with the names and meanings Argo CD uses.
 *
 * <p>The declaration order is the one DESIGN.md lists; how bad a status is relative to another
 * is {@link #severity()}, which {@link ApplicationHealth} uses to pick the worst.
 */
public enum Health {
  /** The object exists and does what it is for (replicas available, job complete, address assigned). */
  HEALTHY(0),
  /** Not healthy yet but moving there (rollout in progress, being deleted, waiting for an address). */
  PROGRESSING(2),
  /** Failed or stuck and needs a person (progress deadline exceeded, crash loop, job failed). */
  DEGRADED(5),
  /** Paused on purpose (paused Deployment, suspended Job or CronJob). */
  SUSPENDED(1),
  /** Desired but absent from the cluster. */
  MISSING(3),
  /** The assessment itself failed (an assessor threw, or the object has an unexpected state). */
  UNKNOWN(4);

  private final int severity;

  Health(int severity) {
    this.severity = severity;
  }

  /**
   * How bad this status is, from 0 (HEALTHY) up: HEALTHY &lt; SUSPENDED &lt; PROGRESSING &lt;
   * MISSING &lt; UNKNOWN &lt; DEGRADED. See docs/health.md for why.
   */
  public int severity() {
    return severity;
  }

  /** True when this status is strictly worse than {@code other}. */
  public boolean isWorseThan(Health other) {
    return severity > other.severity;
  }
}
