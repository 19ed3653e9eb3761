package io.orchestrationplane.policy;

import java.util.ArrayList;
import java.util.List;

/** Policies and bindings read together (from YAML by {@link PolicyLoader}, or assembled in code). */
public record PolicySet(List<ValidatingPolicy> policies, List<PolicyBinding> bindings) {
  public PolicySet {
    policies = List.copyOf(policies);
    bindings = List.copyOf(bindings);
  }

  /** Both sets together. */
  public PolicySet plus(PolicySet other) {
    List<ValidatingPolicy> p = new ArrayList<>(policies);
    p.addAll(other.policies);
    List<PolicyBinding> b = new ArrayList<>(bindings);
    b.addAll(other.bindings);
    return new PolicySet(p, b);
  }
}
