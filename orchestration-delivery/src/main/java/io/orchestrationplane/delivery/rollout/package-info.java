/**
 * Progressive rollouts of one webservice-like component in one environment: canary (weights,
 * pauses, analysis) and blue-green (active and preview Services), declared with the {@link
 * io.orchestrationplane.delivery.rollout.RolloutTrait rollout trait} and driven by {@link
 * io.orchestrationplane.delivery.rollout.Rollouts} on the injected clock, with their state in the
 * plane's {@code StateStore}. Every step is an ordinary plane apply (validation, planning,
 * admission, ownership), so routes and weights are planned and admitted like any object.
 * Value types are immutable; {@code Rollouts} is thread-safe.
 */
@NullMarked
package io.orchestrationplane.delivery.rollout;

import org.jspecify.annotations.NullMarked;
