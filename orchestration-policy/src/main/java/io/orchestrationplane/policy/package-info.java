/**
 * A Kubernetes ValidatingAdmissionPolicy- and MutatingAdmissionPolicy-compatible CEL policy engine for the JVM.
 * Knows nothing of applications or clusters, so it is usable on its own.
 *
 * <p>Entry points: {@link io.orchestrationplane.policy.PolicyLoader} (YAML: VAP and MAP, Kyverno, Gatekeeper) or
 * {@link io.orchestrationplane.policy.ValidatingPolicy#builder} / {@link io.orchestrationplane.policy.MutatingPolicy#builder},
 * then {@link io.orchestrationplane.policy.PolicyEngine}: {@code evaluate} → {@link io.orchestrationplane.policy.Decision},
 * {@code admit} → {@link io.orchestrationplane.policy.Admission} (mutations, then validation);
 * {@link io.orchestrationplane.policy.AdmissionReviews} for webhook AdmissionReviews;
 * {@link io.orchestrationplane.policy.PolicyTester}, {@link io.orchestrationplane.policy.GatorSuite} and
 * {@link io.orchestrationplane.policy.KyvernoTest} for expected verdicts;
 * {@link io.orchestrationplane.policy.CelExpression} for a single CEL expression;
 * {@link io.orchestrationplane.policy.KubernetesVersion} pins the Kubernetes CEL environment (and
 * {@link io.orchestrationplane.policy.CelEnvironment} chooses Kubernetes' or Kyverno's library set within it),
 * {@link io.orchestrationplane.policy.KindSchemas} gives the schemas policies are type-checked against; the
 * library values {@link io.orchestrationplane.policy.Quantity}, {@link io.orchestrationplane.policy.IpAddress},
 * {@link io.orchestrationplane.policy.Cidr} and {@link io.orchestrationplane.policy.Semver}. See docs/policy.md.
 *
 * <p>Thread-safety: value types (records) are immutable; a built {@code PolicyEngine} is immutable and
 * thread-safe; builders and the test runners are for one thread at a time. Null-marked: parameters and
 * return values are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.orchestrationplane.policy;

import org.jspecify.annotations.NullMarked;
