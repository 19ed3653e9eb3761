package io.orchestrationplane.core.status;

import java.time.Instant;
import java.util.Objects;

/**
 * One aspect of an application's state, Kubernetes style: {@code Ready}, {@code Progressing} or
 * {@code Degraded}, whether it holds, a CamelCase reason, a message a person can act on, and
 * when it last changed from true to false or back.
 */
public record Condition(String type, State state, String reason, String message, Instant lastTransitionTime) {
  /** {@code Ready}: every desired object is present and in sync. */
  public static final String READY = "Ready";
  /** {@code Progressing}: the plane is still writing towards the desired state. */
  public static final String PROGRESSING = "Progressing";
  /** {@code Degraded}: something blocks convergence; the message says what. */
  public static final String DEGRADED = "Degraded";

  /** Whether the condition holds. */
  public enum State { TRUE, FALSE, UNKNOWN }

  public Condition {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reason, "reason");
    message = message == null ? "" : message;
    Objects.requireNonNull(lastTransitionTime, "lastTransitionTime");
  }

  public boolean isTrue() {
    return state == State.TRUE;
  }

  @Override
  public String toString() {
    return type + "=" + state + " (" + reason + (message.isEmpty() ? "" : ": " + message) + ")";
  }
}
