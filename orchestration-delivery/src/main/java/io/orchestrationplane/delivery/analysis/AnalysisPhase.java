package io.orchestrationplane.delivery.analysis;

/**
 * The phase of a metric or of a whole {@link AnalysisRun}, as Argo Rollouts' AnalysisPhase. The
 * order of the constants is Argo's order of severity: of several metrics, the run takes the worst
 * phase (FAILED is worse than ERROR, ERROR than INCONCLUSIVE, INCONCLUSIVE than SUCCESSFUL).
 */
public enum AnalysisPhase {
  /** No measurement taken yet. */
  PENDING,
  /** Measuring. */
  RUNNING,
  /** Done: every metric met its count (or the run was terminated) within its limits. */
  SUCCESSFUL,
  /** Done: more inconclusive measurements than {@code inconclusiveLimit}; a person decides. */
  INCONCLUSIVE,
  /** Done: more consecutive provider errors than {@code consecutiveErrorLimit}. */
  ERROR,
  /** Done: more failed measurements than {@code failureLimit}. */
  FAILED;

  /** True for SUCCESSFUL, INCONCLUSIVE, ERROR and FAILED. */
  public boolean completed() {
    return ordinal() >= SUCCESSFUL.ordinal();
  }

  /** True when this phase is worse than {@code other} by Argo's order. */
  public boolean isWorseThan(AnalysisPhase other) {
    return ordinal() > other.ordinal();
  }
}
