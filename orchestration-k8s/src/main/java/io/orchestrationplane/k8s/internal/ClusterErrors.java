package io.orchestrationplane.k8s.internal;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.cluster.ClusterException.Reason;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Maps fabric8 failures onto {@link ClusterException} reasons. */
public final class ClusterErrors {
  private ClusterErrors() {}

  /**
   * The {@link ClusterException} for a failure of {@code operation} (such as "apply ConfigMap
   * shop/a") on {@code cluster}. A {@link ClusterException} passes through unchanged.
   */
  public static ClusterException map(String cluster, String operation, Throwable failure) {
    if (failure instanceof ClusterException ce) {
      return ce;
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ClusterException ce) {
        return ce;
      }
      if (t instanceof KubernetesClientException kce && kce.getCode() > 0) {
        return fromStatus(cluster, operation, kce);
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        return new ClusterException(cluster, Reason.UNAVAILABLE, operation + " on cluster " + cluster
            + ": interrupted", null, failure);
      }
      if (t instanceof HttpConnectTimeoutException || t instanceof ConnectException
          || t instanceof NoRouteToHostException || t instanceof UnknownHostException) {
        return new ClusterException(cluster, Reason.UNAVAILABLE, operation + " on cluster " + cluster
            + ": cannot connect (" + t + ")", null, failure);
      }
      if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException
          || t instanceof TimeoutException || t instanceof InterruptedIOException) {
        return new ClusterException(cluster, Reason.TIMEOUT, operation + " on cluster " + cluster
            + ": no answer in time (" + t + ")", null, failure);
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return new ClusterException(cluster, Reason.UNAVAILABLE, operation + " on cluster " + cluster
            + ": connection failed (" + t + ")", null, failure);
      }
    }
    return new ClusterException(cluster, Reason.SERVER_ERROR, operation + " on cluster " + cluster
        + " failed: " + failure, null, failure);
  }

  private static ClusterException fromStatus(String cluster, String operation, KubernetesClientException e) {
    int code = e.getCode();
    Status status = e.getStatus();
    String serverMessage = status != null && status.getMessage() != null ? status.getMessage() : e.getMessage();
    String message = operation + " on cluster " + cluster + ": HTTP " + code + " " + serverMessage;
    Duration retryAfter = null;
    if (status != null && status.getDetails() != null && status.getDetails().getRetryAfterSeconds() != null) {
      retryAfter = Duration.ofSeconds(status.getDetails().getRetryAfterSeconds());
    }
    Reason reason;
    if (code == 409 && status != null && "AlreadyExists".equals(status.getReason())) {
      reason = Reason.ALREADY_EXISTS;
    } else if (code == 409 || code == 410) {
      reason = Reason.CONFLICT;
    } else if (code == 404) {
      reason = Reason.NOT_FOUND;
    } else if (code == 401 || code == 403) {
      reason = Reason.FORBIDDEN;
    } else if (code == 429) {
      reason = Reason.TOO_MANY_REQUESTS;
    } else if (code == 408 || code == 504) {
      reason = Reason.TIMEOUT;
    } else if (code >= 500) {
      reason = Reason.SERVER_ERROR;
    } else {
      reason = Reason.INVALID;
    }
    return new ClusterException(cluster, reason, message, retryAfter, e);
  }

  /** The HTTP status of a fabric8 failure in the cause chain, or 0. */
  public static int httpCode(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException kce && kce.getCode() > 0) {
        return kce.getCode();
      }
    }
    return 0;
  }
}
