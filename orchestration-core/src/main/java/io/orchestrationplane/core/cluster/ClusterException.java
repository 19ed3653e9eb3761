package io.orchestrationplane.core.cluster;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A failed call to a cluster, with a {@link Reason} that callers branch on and that says
 * whether retrying may help.
 *
 * <pre>{@code
 * try { driver.apply(r); }
 * catch (ClusterException e) { if (e.isRetryable()) requeue(e.retryAfter().orElse(backoff)); }
 * }</pre>
 *
 * <p>A driver of a Kubernetes API server maps its answers so: 404 NOT_FOUND (a read answers
 * absence instead: an empty get or list, a delete that returns false); 409 with reason
 * AlreadyExists ALREADY_EXISTS, any other 409 and 410 (the version a list or watch started from
 * expired) CONFLICT; 400, 422 and other 4xx INVALID; 401 and 403 FORBIDDEN; 429
 * TOO_MANY_REQUESTS, with {@link #retryAfter()} from the Retry-After the server sent; 408 and 504
 * TIMEOUT; other 5xx SERVER_ERROR. Messages name the operation, the object and the cluster.
 */
public class ClusterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the call failed. */
  public enum Reason {
    /**
     * The object changed since it was read: a stale resourceVersion, a delete whose
     * preconditions (uid, resourceVersion) no longer hold, or a version too old to list or watch
     * from (HTTP 410). Re-read and retry.
     */
    CONFLICT(true),
    /** A create found an object of that name already there (HTTP 409 AlreadyExists). Plan again. */
    ALREADY_EXISTS(true),
    /** The object or its kind does not exist. */
    NOT_FOUND(false),
    /** The server rejected the object as invalid. */
    INVALID(false),
    /** The caller may not do this. */
    FORBIDDEN(false),
    /** Throttled (HTTP 429); see {@link #retryAfter()}. */
    TOO_MANY_REQUESTS(true),
    /** The server failed (HTTP 5xx). */
    SERVER_ERROR(true),
    /** No answer in time. */
    TIMEOUT(true),
    /** The cluster cannot be reached, or its circuit breaker is open. */
    UNAVAILABLE(true);

    private final boolean retryable;

    Reason(boolean retryable) {
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }
  }

  private final String cluster;
  private final Reason reason;
  private final @Nullable Duration retryAfter;

  public ClusterException(String cluster, Reason reason, String message, @Nullable Duration retryAfter, @Nullable Throwable cause) {
    super(message, cause);
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.retryAfter = retryAfter;
  }

  public static ClusterException conflict(String cluster, String message) {
    return new ClusterException(cluster, Reason.CONFLICT, message, null, null);
  }

  public static ClusterException alreadyExists(String cluster, String message) {
    return new ClusterException(cluster, Reason.ALREADY_EXISTS, message, null, null);
  }

  public static ClusterException notFound(String cluster, String message) {
    return new ClusterException(cluster, Reason.NOT_FOUND, message, null, null);
  }

  public static ClusterException invalid(String cluster, String message) {
    return new ClusterException(cluster, Reason.INVALID, message, null, null);
  }

  public static ClusterException tooManyRequests(String cluster, Duration retryAfter) {
    return new ClusterException(cluster, Reason.TOO_MANY_REQUESTS,
        "too many requests" + (retryAfter == null ? "" : ", retry after " + retryAfter.toMillis() + "ms"),
        retryAfter, null);
  }

  public static ClusterException serverError(String cluster, String message) {
    return new ClusterException(cluster, Reason.SERVER_ERROR, message, null, null);
  }

  public static ClusterException timeout(String cluster, String message) {
    return new ClusterException(cluster, Reason.TIMEOUT, message, null, null);
  }

  public static ClusterException unavailable(String cluster, String message, @Nullable Throwable cause) {
    return new ClusterException(cluster, Reason.UNAVAILABLE, message, null, cause);
  }

  /** The cluster the call went to. */
  public String cluster() {
    return cluster;
  }

  public Reason reason() {
    return reason;
  }

  /** True when the same call may succeed later. */
  public boolean isRetryable() {
    return reason.retryable();
  }

  /** How long the server asked callers to wait, when it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
