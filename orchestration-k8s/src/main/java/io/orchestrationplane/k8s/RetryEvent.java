package io.orchestrationplane.k8s;

import io.orchestrationplane.core.cluster.ClusterException;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link KubernetesCluster} call failed in a way a retry may mend (throttling, a server error,
 * a timeout, a refused connection) and is sent again after {@code delay}: the backoff of {@link
 * ClusterLimits}, or longer when the server asked for it with Retry-After. Passed to {@link
 * KubernetesCluster.Builder#onRetry} on the calling thread, before the wait.
 *
 * @param cluster the cluster's name
 * @param attempt the number of the attempt that failed, from 1
 * @param delay how long the call waits before the next attempt
 * @param failure what the failed attempt met; its message names the operation and the object
 */
public record RetryEvent(String cluster, int attempt, Duration delay, ClusterException failure) {
  public RetryEvent {
    Objects.requireNonNull(cluster, "cluster");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
    }
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(failure, "failure");
  }
}
