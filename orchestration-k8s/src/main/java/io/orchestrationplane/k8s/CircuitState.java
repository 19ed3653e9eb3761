package io.orchestrationplane.k8s;

/**
 * The state of a {@link KubernetesCluster}'s circuit breaker, which makes calls to a cluster that
 * keeps failing (unreachable, timing out, answering 5xx) fail at once with {@code UNAVAILABLE}
 * instead of waiting on it. Its thresholds are set in {@link ClusterLimits}.
 */
public enum CircuitState {
  /** Calls go through; failures are counted. */
  CLOSED,
  /** Calls fail at once, sending nothing, until {@link ClusterLimits#openDuration()} has passed. */
  OPEN,
  /** The open period has passed: one probe call goes through, and its outcome closes or reopens the circuit. */
  HALF_OPEN
}
