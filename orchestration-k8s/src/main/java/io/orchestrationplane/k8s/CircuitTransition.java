package io.orchestrationplane.k8s;

import java.util.Objects;

/**
 * A {@link KubernetesCluster}'s circuit breaker changed state: {@code OPEN} after too many calls
 * failed, {@code HALF_OPEN} when a probe may go through, {@code CLOSED} when the probe succeeded.
 * Passed to {@link KubernetesCluster.Builder#onCircuitTransition} on the thread of the call that
 * caused it.
 *
 * @param cluster the cluster's name
 * @param from the state before
 * @param to the state now
 */
public record CircuitTransition(String cluster, CircuitState from, CircuitState to) {
  public CircuitTransition {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
  }
}
