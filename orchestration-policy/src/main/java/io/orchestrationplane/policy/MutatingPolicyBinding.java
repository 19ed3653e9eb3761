package io.orchestrationplane.policy;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A MutatingAdmissionPolicyBinding: makes a {@link MutatingPolicy} take effect, optionally narrowed by
 * {@code matchResources}, with params.
 *
 * @param matchResources null = everything the policy matches
 * @param paramRef null when the policy has no paramKind
 */
public record MutatingPolicyBinding(String name, String policyName, @Nullable ParamRef paramRef, @Nullable MatchResources matchResources) {
  public MutatingPolicyBinding {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(policyName, "policyName of binding " + name);
  }

  /** A binding named after the policy, applying it to everything it matches. */
  public static MutatingPolicyBinding of(String policyName) {
    return new MutatingPolicyBinding(policyName, policyName, null, null);
  }
}
