package io.orchestrationplane.policy;

import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A ValidatingAdmissionPolicyBinding: makes a policy take effect, optionally narrowed by
 * {@code matchResources}, with params and the actions taken on failure. A binding made from a Gatekeeper
 * Constraint carries the {@link GatekeeperConstraint}: its object is the params and its match narrows the binding.
 *
 * @param matchResources null = everything the policy matches
 * @param paramRef null when the policy has no paramKind, or when {@code constraint} supplies the params
 * @param validationActions what a failure does, in the order given (the audit annotation lists them so)
 * @param constraint the Gatekeeper Constraint this binding instantiates, else null
 */
public record PolicyBinding(String name, String policyName, @Nullable ParamRef paramRef, @Nullable MatchResources matchResources,
    Set<ValidationAction> validationActions, @Nullable GatekeeperConstraint constraint) {
  public PolicyBinding {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(policyName, "policyName of binding " + name);
    // in the order given: the audit annotation lists them so, as the API server does
    validationActions = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(
        validationActions == null ? Set.of() : validationActions));
    if (validationActions.contains(null)) {
      throw new NullPointerException("binding " + name + ": a validationAction is null");
    }
    if (validationActions.isEmpty()) {
      throw new IllegalArgumentException("binding " + name + " needs at least one validationAction");
    }
    if (validationActions.contains(ValidationAction.DENY) && validationActions.contains(ValidationAction.WARN)) {
      throw new IllegalArgumentException("binding " + name + ": Deny and Warn may not be used together");
    }
    if (constraint != null && paramRef != null) {
      throw new IllegalArgumentException("binding " + name + ": a Gatekeeper constraint is its own params; no paramRef");
    }
  }

  /** A binding without a Gatekeeper constraint. */
  public PolicyBinding(String name, String policyName, @Nullable ParamRef paramRef, @Nullable MatchResources matchResources,
      Set<ValidationAction> validationActions) {
    this(name, policyName, paramRef, matchResources, validationActions, null);
  }

  /** A binding named after the policy that denies everything the policy matches. */
  public static PolicyBinding denyAll(String policyName) {
    return new PolicyBinding(policyName, policyName, null, null, Set.of(ValidationAction.DENY));
  }

  /** The same binding with other actions (e.g. forced to Deny as upstream policy tests do). */
  public PolicyBinding withActions(Set<ValidationAction> actions) {
    return new PolicyBinding(name, policyName, paramRef, matchResources, actions, constraint);
  }
}
