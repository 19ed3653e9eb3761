/**
 * The engine's implementation: the Kubernetes CEL environment and libraries (and Kyverno's offline ones), value
 * conversion, matching (Kubernetes' and Gatekeeper's), validation and the mutation engine, and the importers
 * behind {@link io.orchestrationplane.policy.PolicyLoader} (one class each for Kubernetes admissionregistration,
 * Kyverno and Gatekeeper documents). Not API: may change without notice.
 *
 * <p>Thread-safety: compiled state ({@code Evaluator}, {@code Mutator}, compiled policies and expressions) is
 * immutable once built and shared between threads; per-request objects ({@code Activation}, {@code CostMeter},
 * {@code LazyVariables}, request facts) and importers ({@code Loaded}, {@code GatekeeperImport}) belong to one
 * thread at a time. Null-marked.
 */
@NullMarked
package io.orchestrationplane.policy.internal;

import org.jspecify.annotations.NullMarked;
