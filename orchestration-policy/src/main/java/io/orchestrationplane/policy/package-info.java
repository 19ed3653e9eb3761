/**
 * A Kubernetes ValidatingAdmissionPolicy-compatible CEL policy engine for the JVM. Knows nothing
 * of applications or clusters, so it is usable on its own.
 *
 * <p>Entry points: {@link io.orchestrationplane.policy.PolicyLoader} (YAML: VAP, Kyverno, Gatekeeper) or
 * {@link io.orchestrationplane.policy.ValidatingPolicy#builder}, then
 * {@link io.orchestrationplane.policy.PolicyEngine} → {@link io.orchestrationplane.policy.Decision};
 * {@link io.orchestrationplane.policy.PolicyTester} for expected verdicts;
 * {@link io.orchestrationplane.policy.CelExpression} for a single CEL expression;
 * {@link io.orchestrationplane.policy.KubernetesVersion} pins the Kubernetes CEL environment,
 * {@link io.orchestrationplane.policy.KindSchemas} gives the schemas policies are type-checked against; the
 * library values {@link io.orchestrationplane.policy.Quantity}, {@link io.orchestrationplane.policy.IpAddress},
 * {@link io.orchestrationplane.policy.Cidr} and {@link io.orchestrationplane.policy.Semver}. See docs/policy.md.
 * All types are immutable and thread-safe unless they say otherwise (builders are not).
 */
package io.orchestrationplane.policy;
