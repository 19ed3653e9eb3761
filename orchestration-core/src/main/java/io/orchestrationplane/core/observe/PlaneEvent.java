package io.orchestrationplane.core.observe;

import java.time.Instant;
import java.util.Objects;

/**
 * Something the plane did or saw for one application in continuous mode, delivered to {@link
 * PlaneListener}s and, as a {@link PlaneRecord}, to {@link PlaneObserver}s. Messages name objects
 * and fields, never secret values.
 *
 * @param subject for whom the plane acted: who submitted (or removed) the application
 */
public record PlaneEvent(Instant time, String application, Type type, String message, Subject subject)
    implements PlaneRecord {
  /** What happened. */
  public enum Type {
    /** A new desired state was accepted. */
    SUBMITTED,
    /** A desired state was rejected as invalid; the message lists the problems. */
    INVALID,
    /** Admission policies denied changes; the message lists every violation. */
    DENIED,
    /** Changes were written. */
    APPLIED,
    /** Live state differs from an unchanged desired state. */
    DRIFT_DETECTED,
    /** Drift was written back to the desired state. */
    DRIFT_CORRECTED,
    /** A write failed; a retry follows. */
    APPLY_FAILED,
    /** A failed reconcile will run again after a delay. */
    RETRY_SCHEDULED,
    /** Everything desired is present, in sync and healthy. */
    CONVERGED,
    /** Still unhealthy after the progress deadline; the message names the blocking object and cause. */
    DEGRADED,
    /** The application's status changed (phase, a condition, an object's state or the last error). */
    STATUS_CHANGED,
    /** The application was removed and everything it owned pruned. */
    REMOVED
  }

  public PlaneEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(type, "type");
    message = message == null ? "" : message;
    Objects.requireNonNull(subject, "subject");
  }

  /** An event for the {@link Subject#local() local} subject. */
  public PlaneEvent(Instant time, String application, Type type, String message) {
    this(time, application, type, message, Subject.local());
  }

  @Override
  public String toString() {
    return time + " " + application + " " + type + (message.isEmpty() ? "" : ": " + message);
  }
}
