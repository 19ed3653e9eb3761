package io.orchestrationplane.delivery;

/** What a run does when a step has failed for good (its retries used up, rejected, or timed out). */
public enum OnFailure {
  /** The run stops, FAILED; every environment keeps what it runs. */
  STOP,
  /**
   * The run rolls back, then is ROLLED_BACK: the failed step's environment (its
   * {@code environment}, or a promotion's {@code to}), or, for a step that names none (an
   * approval, a notification, a user step), every environment this run applied to, in reverse
   * order, gets the release it ran before the run, through {@code OrchestrationPlane.rollback}
   * (admission included). An environment this run did not change is left alone; one the run
   * deployed first keeps the new release (there is nothing to go back to) and the status says so.
   */
  ROLLBACK
}
