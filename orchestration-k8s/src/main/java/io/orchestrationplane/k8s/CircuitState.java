package io.orchestrationplane.k8s;

/**
 * The state of a {@link KubernetesCluster}'s circuit breaker, which makes calls to a cluster that
 * keeps failing (unreachable, timing out, answering 5xx) fail at once with {@code UNAVAILABLE}
 * instead of waiting on it. Its thresholds are set in {@link ClusterLimits}.
 */
public enum CircuitState {
  /** Calls go through; failures are counted. */
  CLOSED("calls go through and their failures are counted"),
  /** Calls fail at once, sending nothing, until {@link ClusterLimits#openDuration()} has passed. */
  OPEN("calls fail at once without reaching the cluster until the open period has passed"),
  /** The open period has passed: one probe call goes through, and its outcome closes or reopens the circuit. */
  HALF_OPEN("the open period has passed: the next call is a probe, which closes the circuit if it succeeds and "
      + "opens it again if it fails");

  private final String meaning;

  CircuitState(String meaning) {
    this.meaning = meaning;
  }

  /** What this state means for calls, in a sentence for messages ({@link KubernetesCluster#describeCircuit()} says more). */
  public String meaning() {
    return meaning;
  }
}
