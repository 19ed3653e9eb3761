package io.orchestrationplane.policy;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One failed validation (or an evaluation error under failurePolicy Fail) of one policy through one binding.
 *
 * @param expression the CEL that failed; for errors, the expression that raised it
 * @param reason Kubernetes status reason: Invalid (default), Forbidden, Unauthorized, RequestEntityTooLarge
 * @param actions the binding's validationActions; Deny alone for what the API server denies whatever they are (a
 *     binding that cannot be configured, an audit annotation that fails under failurePolicy Fail)
 * @param error true when caused by an evaluation error rather than a false result
 */
public record Violation(String policy, String binding, String expression, @Nullable String message, String reason,
    Set<ValidationAction> actions, boolean error) {
  public Violation {
    actions = Set.copyOf(actions);
  }

  /** Whether this violation rejects the request. */
  public boolean denies() {
    return actions.contains(ValidationAction.DENY);
  }

  @Override public String toString() {
    return policy + (binding.equals(policy) ? "" : " (binding " + binding + ")") + ": " + message;
  }
}
