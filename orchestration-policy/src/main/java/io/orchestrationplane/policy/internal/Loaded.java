package io.orchestrationplane.policy.internal;

import io.orchestrationplane.policy.MutatingPolicy;
import io.orchestrationplane.policy.MutatingPolicyBinding;
import io.orchestrationplane.policy.PolicyBinding;
import io.orchestrationplane.policy.PolicySet;
import io.orchestrationplane.policy.SkippedDocument;
import io.orchestrationplane.policy.ValidatingPolicy;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What one load produced so far; the importers add to it. Not thread-safe: one per load. */
public final class Loaded {
  private static final Logger LOG = LoggerFactory.getLogger(Loaded.class);

  final List<ValidatingPolicy> policies = new ArrayList<>();
  final List<PolicyBinding> bindings = new ArrayList<>();
  final List<MutatingPolicy> mutatingPolicies = new ArrayList<>();
  final List<MutatingPolicyBinding> mutatingBindings = new ArrayList<>();
  final List<SkippedDocument> skipped = new ArrayList<>();

  /** Records a document (or part) the engine cannot run, and logs it. */
  public void skip(SkippedDocument s) {
    LOG.warn("policy loader skipped {}", s);
    skipped.add(s);
  }

  public PolicySet toSet() {
    return new PolicySet(policies, bindings, mutatingPolicies, mutatingBindings, skipped);
  }
}
