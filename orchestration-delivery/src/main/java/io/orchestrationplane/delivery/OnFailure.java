package io.orchestrationplane.delivery;

/** What a run does when a step has failed for good (its retries used up, rejected, or timed out). */
public enum OnFailure {
  /** The run stops, FAILED; every environment keeps what it runs. */
  STOP,
  /**
   * The run rolls back: every environment this run applied to (in reverse order) gets the
   * release it ran before, through {@code OrchestrationPlane.rollback} (admission included);
   * then the run is ROLLED_BACK. An environment the run deployed first keeps the new release
   * (there is nothing to go back to) and the status says so.
   */
  ROLLBACK
}
