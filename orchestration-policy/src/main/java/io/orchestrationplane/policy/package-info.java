/**
 * A Kubernetes ValidatingAdmissionPolicy-compatible CEL policy engine for the JVM. Knows nothing
 * of applications or clusters, so it is usable on its own.
 *
 * <p>Entry points: {@link io.orchestrationplane.policy.PolicyLoader} (YAML: VAP, Kyverno, Gatekeeper) or
 * {@link io.orchestrationplane.policy.ValidatingPolicy#builder}, then
 * {@link io.orchestrationplane.policy.PolicyEngine} → {@link io.orchestrationplane.policy.Decision};
 * {@link io.orchestrationplane.policy.PolicyTester} for expected verdicts;
 * {@link io.orchestrationplane.policy.CelExpression} for a single CEL expression. See docs/policy.md.
 */
package io.orchestrationplane.policy;
