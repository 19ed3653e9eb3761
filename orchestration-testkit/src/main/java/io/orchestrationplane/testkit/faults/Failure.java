package io.orchestrationplane.testkit.faults;

import io.orchestrationplane.core.cluster.ClusterException;

/**
 * A failure a {@link FaultyCluster} injects, each surfacing as the {@link ClusterException} a
 * real API server's answer would become.
 */
public enum Failure {
  /** HTTP 409: a stale resourceVersion or an object that already exists. Reason CONFLICT. */
  CONFLICT(ClusterException.Reason.CONFLICT),
  /** HTTP 429 with a Retry-After header. Reason TOO_MANY_REQUESTS, {@code retryAfter()} set. */
  TOO_MANY_REQUESTS(ClusterException.Reason.TOO_MANY_REQUESTS),
  /** HTTP 500. Reason SERVER_ERROR. */
  SERVER_ERROR(ClusterException.Reason.SERVER_ERROR),
  /** No answer in time, and the call never reached the server. Reason TIMEOUT. */
  TIMEOUT(ClusterException.Reason.TIMEOUT),
  /**
   * No answer in time, but a write reached the server and was applied before the connection was
   * lost: the caller cannot tell it from {@link #TIMEOUT}, the cluster holds the new state. For
   * reads it is the same as {@link #TIMEOUT}. Reason TIMEOUT.
   */
  TIMEOUT_AFTER_WRITE(ClusterException.Reason.TIMEOUT),
  /** The cluster cannot be reached (a partition, a refused connection). Reason UNAVAILABLE. */
  UNAVAILABLE(ClusterException.Reason.UNAVAILABLE);

  private final ClusterException.Reason reason;

  Failure(ClusterException.Reason reason) {
    this.reason = reason;
  }

  /** The reason of the exception this failure throws. */
  public ClusterException.Reason reason() {
    return reason;
  }
}
