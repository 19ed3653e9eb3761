/**
 * Test support for delivery workflows: {@link io.orchestrationplane.testkit.delivery.DeliveryDriver}
 * moves a {@code Delivery} on a manual clock (to the next window, past a soak time), approves as
 * a subject, and asserts the active step with the release status in the failure message;
 * {@link io.orchestrationplane.testkit.delivery.SimulatedMetricProvider} answers analysis queries
 * with values a test scripts over the fake clock.
 *
 * <p>Thread-safety: a driver is meant for one test thread; the simulated provider is thread-safe.
 */
@NullMarked
package io.orchestrationplane.testkit.delivery;

import org.jspecify.annotations.NullMarked;
