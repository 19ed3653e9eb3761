package io.orchestrationplane.core.apply;

import io.orchestrationplane.core.cluster.ClusterException;
import java.util.Objects;
import java.util.Optional;

/**
 * What one planned write did to one object: a closed set of cases callers switch on, never a
 * string to parse. Messages are scrubbed of the application's secret values.
 *
 * <pre>{@code
 * if (outcome.write() instanceof WriteResult.Failed f
 *     && f.reason().map(ClusterException.Reason::retryable).orElse(false)) {
 *   retryLater();
 * }
 * }</pre>
 */
public sealed interface WriteResult {

  /** {@code created}, {@code updated}, {@code deleted}, {@code unchanged}, or the case and its message. */
  String describe();

  /** True for {@link Conflict} and {@link Failed}: the write did not happen. */
  default boolean isFailure() {
    return this instanceof Conflict || this instanceof Failed;
  }

  /** The object was created ({@link Outcome#result()} holds what the cluster stored). */
  record Created() implements WriteResult {
    @Override
    public String describe() {
      return "created";
    }
  }

  /** The object was updated ({@link Outcome#result()} holds what the cluster stored). */
  record Updated() implements WriteResult {
    @Override
    public String describe() {
      return "updated";
    }
  }

  /** The object was deleted (or was already gone). */
  record Deleted() implements WriteResult {
    @Override
    public String describe() {
      return "deleted";
    }
  }

  /** Nothing to write: the object was in sync. */
  record Unchanged() implements WriteResult {
    @Override
    public String describe() {
      return "unchanged";
    }
  }

  /**
   * Refused because the object changed or appeared since planning (a create that found it there,
   * an update or delete whose preconditions no longer held): nothing was overwritten or deleted.
   */
  record Conflict(String message) implements WriteResult {
    public Conflict {
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String describe() {
      return "conflict: " + message;
    }
  }

  /**
   * The write failed. {@code reason} is the cluster's answer when the cluster answered (absent
   * when the plane refused to write, or the driver failed in another way).
   */
  record Failed(String message, Optional<ClusterException.Reason> reason) implements WriteResult {
    public Failed {
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(reason, "reason");
    }

    /** A failure without a cluster's answer. */
    public Failed(String message) {
      this(message, Optional.empty());
    }

    @Override
    public String describe() {
      return "failed: " + message;
    }
  }

  /** Not attempted yet, for {@code reason} (a dependency not healthy, a held drift correction). */
  record Waiting(String reason) implements WriteResult {
    public Waiting {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String describe() {
      return "waiting: " + reason;
    }
  }

  /** Not attempted because an earlier write failed. */
  record Skipped(String reason) implements WriteResult {
    public Skipped {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String describe() {
      return "skipped: " + reason;
    }
  }
}
