package io.orchestrationplane.policy;

import java.util.Objects;
import java.util.Set;

/**
 * A ValidatingAdmissionPolicyBinding: makes a policy take effect, optionally narrowed by
 * {@code matchResources}, with params and the actions taken on failure.
 *
 * @param matchResources null = everything the policy matches
 * @param paramRef null when the policy has no paramKind
 */
public record PolicyBinding(String name, String policyName, ParamRef paramRef, MatchResources matchResources,
    Set<ValidationAction> validationActions) {
  public PolicyBinding {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(policyName, "policyName of binding " + name);
    validationActions = Set.copyOf(validationActions == null ? Set.of() : validationActions);
    if (validationActions.isEmpty()) {
      throw new IllegalArgumentException("binding " + name + " needs at least one validationAction");
    }
    if (validationActions.contains(ValidationAction.DENY) && validationActions.contains(ValidationAction.WARN)) {
      throw new IllegalArgumentException("binding " + name + ": Deny and Warn may not be used together");
    }
  }

  /** A binding named after the policy that denies everything the policy matches. */
  public static PolicyBinding denyAll(String policyName) {
    return new PolicyBinding(policyName, policyName, null, null, Set.of(ValidationAction.DENY));
  }
}
