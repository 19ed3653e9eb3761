package io.orchestrationplane.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Policies and bindings read together (from YAML by {@link PolicyLoader}, or assembled in code): validating
 * policies with their bindings, mutating policies with theirs, and what the loader skipped and why.
 */
public record PolicySet(List<ValidatingPolicy> policies, List<PolicyBinding> bindings,
    List<MutatingPolicy> mutatingPolicies, List<MutatingPolicyBinding> mutatingBindings,
    List<SkippedDocument> skipped) {
  public PolicySet {
    policies = List.copyOf(policies);
    bindings = List.copyOf(bindings);
    mutatingPolicies = List.copyOf(mutatingPolicies == null ? List.of() : mutatingPolicies);
    mutatingBindings = List.copyOf(mutatingBindings == null ? List.of() : mutatingBindings);
    skipped = List.copyOf(skipped == null ? List.of() : skipped);
  }

  /** Validating policies and bindings only. */
  public PolicySet(List<ValidatingPolicy> policies, List<PolicyBinding> bindings) {
    this(policies, bindings, List.of(), List.of(), List.of());
  }

  /** An empty set. */
  public static PolicySet empty() {
    return new PolicySet(List.of(), List.of());
  }

  /** Both sets together. */
  public PolicySet plus(PolicySet other) {
    return new PolicySet(concat(policies, other.policies), concat(bindings, other.bindings),
        concat(mutatingPolicies, other.mutatingPolicies), concat(mutatingBindings, other.mutatingBindings),
        concat(skipped, other.skipped));
  }

  /** The same set with other validating bindings (for example every action forced to Deny, as upstream tests do). */
  public PolicySet withBindings(List<PolicyBinding> newBindings) {
    return new PolicySet(policies, newBindings, mutatingPolicies, mutatingBindings, skipped);
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
