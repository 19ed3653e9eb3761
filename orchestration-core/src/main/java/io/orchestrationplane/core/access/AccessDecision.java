package io.orchestrationplane.core.access;

import java.util.Objects;

/**
 * The answer of {@link AccessControl} to one {@link AccessRequest}, with the reason: which policy
 * line allowed or denied it, or that none allowed it. Reasons name policy lines, never values of
 * the application.
 */
public sealed interface AccessDecision permits AccessDecision.Allowed, AccessDecision.Denied {
  /** Why: the deciding line or rule. */
  String reason();

  /** True for {@link Allowed}. */
  default boolean isAllowed() {
    return this instanceof Allowed;
  }

  static AccessDecision allowed(String reason) {
    return new Allowed(reason);
  }

  static AccessDecision denied(String reason) {
    return new Denied(reason);
  }

  /** The request may go ahead. */
  record Allowed(String reason) implements AccessDecision {
    public Allowed {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The request is refused. */
  record Denied(String reason) implements AccessDecision {
    public Denied {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
