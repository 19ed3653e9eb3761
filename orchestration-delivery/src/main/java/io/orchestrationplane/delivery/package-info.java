/**
 * Delivery workflows: a release of an application moves through {@link
 * io.orchestrationplane.delivery.Workflow} steps (apply to an environment, wait until healthy,
 * check, approval, change window, notify, promote), gated by {@link
 * io.orchestrationplane.delivery.ApprovalRule}s and {@link io.orchestrationplane.delivery.ChangeWindow}s,
 * with its state kept in the plane's {@code StateStore} after every transition so that a restarted
 * or second engine resumes it exactly once. {@link io.orchestrationplane.delivery.Delivery} is the
 * entry point; {@link io.orchestrationplane.delivery.StepType} and {@link
 * io.orchestrationplane.delivery.Notifier} are the SPIs.
 *
 * <p>Thread-safety: value types are immutable; {@code Delivery} is thread-safe (every transition
 * is a compare-and-set on the stored state).
 */
@NullMarked
package io.orchestrationplane.delivery;

import org.jspecify.annotations.NullMarked;
